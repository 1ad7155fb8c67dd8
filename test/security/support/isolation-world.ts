import { randomBytes } from 'node:crypto';
import type { Role } from '../../../src/lib/auth/roles';
import { tenantProviderName } from '../../../src/lib/sso/provider-name';
import { declareCsv, uploadCsv } from '../../integration/files/file-support';
import { api } from '../../integration/support/api';
import { configureOidcSso, localIdpClient, uniqueDomain, verifyDomain } from '../../integration/support/sso';
import { uniqueEmail } from '../../integration/support/stack';
import { type Caller, inviteAndSignUp, tenantWithOwner } from '../../integration/support/world';

/**
 * Tenants that each hold one caller of every role and some data of every kind,
 * and what the suite knows about them: their objects (kept current as the
 * fuzzing adds, revokes and deletes), a list cursor of each list, and the
 * strings that must never reach a caller of another tenant.
 *
 * SSO and domains (issue 14), set up once for the three tenants together
 * (`connectSso`): each tenant's OIDC SSO with a client of its own of the local
 * identity provider; a domain it verified (its TXT record published), a
 * pending one of its own, and, pending, the domain the next tenant verified
 * (tenant i holds tenant i+1's verified domain), so "A's path with B's
 * domain" has both answers: A holds it too (pending, its own item) or not.
 * Domain names are not secrets (a domain is public, and another tenant may
 * add it); the TXT challenge values, the provider name and the identity
 * provider client are.
 */
export type ListName = 'members' | 'invites' | 'files' | 'audit' | 'domains';
/** The lists every tenant has from the start; `domains` once `connectSso` added them. */
export const LISTS: ListName[] = ['members', 'invites', 'files', 'audit'];

export type KnownInvite = { inviteId: string; email: string; status: 'pending' | 'accepted' | 'revoked' };
export type KnownFile = { fileId: string; uploadedBy: string; seeded: boolean; deleted: boolean };
/** `seeded`: the domain the tenant verified in the set-up, never removed during the run (its claim stays). */
export type KnownDomain = { status: 'pending' | 'verified'; seeded: boolean };

export type IsolatedTenant = {
  label: string;
  tenantId: string;
  name: string;
  /** Random, in the tenant's name, every email and file name and CSV column: any of them in a response carries it. */
  tag: string;
  callers: Record<Role, Caller & { role: Role }>;
  invites: KnownInvite[];
  files: KnownFile[];
  /** A next-page cursor of each of the tenant's lists (`limit=1`, every list holds more than one item). */
  cursors: Record<ListName, string>;
  /** Ids, names and emails of this tenant: none may appear in an answer to another tenant's caller. */
  secrets: Set<string>;
  /** Invites created this hour, to know when the hourly limit (429) may answer. */
  invitesThisHour: number;
  /** The tenant's domains as it holds them (pending or verified), by name. */
  domains: Map<string, KnownDomain>;
  /** The domain this tenant verified in the set-up (its claim). */
  verifiedDomain: string;
  /** The tenant's SSO: configured or not (an owner's DELETE and PUT change it), with its identity provider client. */
  sso: { configured: boolean; clientId: string; clientSecret: string };
};

const must = async <T>(what: string, call: Promise<{ status: number; body: unknown; text: string }>, status = 200): Promise<T> => {
  const res = await call;
  if (res.status !== status) throw new Error(`${what}: ${res.status} ${res.text}`);
  return res.body as T;
};

type ListPage<T> = { items: T[]; nextCursor: string | null };

const listPath = (tenantId: string, list: ListName) => `/tenants/${tenantId}/${list}`;

const cursorOf = async (tenantId: string, list: ListName, owner: Caller): Promise<string> => {
  const page = await must<ListPage<unknown>>(`${list} page`, api(`${listPath(tenantId, list)}?limit=1`, { token: owner.accessToken }));
  if (!page.nextCursor) throw new Error(`${list} of ${tenantId} has a single page`);
  return page.nextCursor;
};

/** One tenant, its four callers, two pending invites, a ready CSV and a pending declaration. */
export const buildIsolatedTenant = async (label: string): Promise<IsolatedTenant> => {
  // Lower case: emails are stored lower-cased, and the tag must survive in them.
  const tag = `iso${label.toLowerCase()}${randomBytes(5).toString('hex')}`;
  const name = `Isolated ${label} ${tag}`;
  const { tenantId, owner } = await tenantWithOwner(name);
  const callers = { owner: { ...owner, role: 'owner' as const } } as IsolatedTenant['callers'];
  for (const role of ['admin', 'member', 'viewer'] as const) {
    callers[role] = { ...(await inviteAndSignUp(tenantId, owner, role, `${tag}-${role}`)), role };
  }
  for (const role of ['viewer', 'admin'] as const) {
    const body = { email: uniqueEmail(`${tag}-pending`), role };
    await must('invite', api(`/tenants/${tenantId}/invites`, { method: 'POST', token: owner.accessToken, body }), 201);
  }
  const ready = await uploadCsv(callers.member, tenantId, `${tag}-ready.csv`, `${tag}_region,${tag}_revenue\nnorth,1\nsouth,2\n`);
  const pending = await declareCsv(owner, tenantId, `${tag}-pending.csv`, Buffer.from('a\n1\n'));

  const invites = (
    await must<ListPage<KnownInvite>>('invites', api(`/tenants/${tenantId}/invites?limit=100`, { token: owner.accessToken }))
  ).items;
  const files: KnownFile[] = [
    { fileId: ready.file.fileId, uploadedBy: callers.member.userId, seeded: true, deleted: false },
    { fileId: pending.file.fileId, uploadedBy: owner.userId, seeded: true, deleted: false },
  ];
  const cursors = {} as Record<ListName, string>;
  for (const list of LISTS) cursors[list] = await cursorOf(tenantId, list, owner);

  const secrets = new Set([
    tenantId,
    tag,
    ...Object.values(callers).flatMap((c) => [c.userId, c.email]),
    ...invites.flatMap((i) => [i.inviteId, i.email]),
    ...files.map((f) => f.fileId),
  ]);
  return {
    label,
    tenantId,
    name,
    tag,
    callers,
    invites: invites.map(({ inviteId, email, status }) => ({ inviteId, email, status })),
    files,
    cursors,
    secrets,
    invitesThisHour: invites.length,
    domains: new Map(),
    verifiedDomain: '',
    sso: { configured: false, clientId: '', clientSecret: '' },
  };
};

type TenantDomainPage = ListPage<{ domain: string; status: 'pending' | 'verified'; txtRecord: { value: string } }>;

/**
 * Gives each tenant its SSO (local identity provider client i) and its
 * domains: one verified, one pending, and the next tenant's verified domain
 * pending. One after another: each SSO PUT changes the shared app client under a lease.
 */
export const connectSso = async (tenants: IsolatedTenant[]): Promise<void> => {
  for (const [i, t] of tenants.entries()) {
    const owned = { tenantId: t.tenantId, owner: t.callers.owner };
    await configureOidcSso(owned, i);
    const client = localIdpClient(i);
    t.sso = { configured: true, ...client };
    t.verifiedDomain = uniqueDomain(`${t.label.toLowerCase()}-verified`);
    await verifyDomain(owned, t.verifiedDomain);
    const pending = uniqueDomain(`${t.label.toLowerCase()}-pending`);
    await must(
      'domain',
      api(`/tenants/${t.tenantId}/domains`, { method: 'POST', token: t.callers.owner.accessToken, body: { domain: pending } }),
      201,
    );
    t.secrets.add(tenantProviderName(t.tenantId)).add(client.clientId).add(client.clientSecret);
  }
  for (const [i, t] of tenants.entries()) {
    const next = tenants[(i + 1) % tenants.length] as IsolatedTenant;
    const body = { domain: next.verifiedDomain };
    await must('domain', api(`/tenants/${t.tenantId}/domains`, { method: 'POST', token: t.callers.owner.accessToken, body }), 201);
  }
  for (const t of tenants) {
    const page = await must<TenantDomainPage>(
      'domains',
      api(`/tenants/${t.tenantId}/domains?limit=100`, { token: t.callers.owner.accessToken }),
    );
    for (const d of page.items) {
      t.domains.set(d.domain, { status: d.status, seeded: d.domain === t.verifiedDomain });
      t.secrets.add(d.txtRecord.value);
    }
    t.cursors.domains = await cursorOf(t.tenantId, 'domains', t.callers.owner);
  }
};
