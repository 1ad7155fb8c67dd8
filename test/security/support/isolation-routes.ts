import fc from 'fast-check';
import { can, type TenantAction } from '../../../src/lib/auth/permissions';
import { ROLES, type Role } from '../../../src/lib/auth/roles';
import { uniqueDomain } from '../../integration/support/sso';
import { stack, uniqueEmail } from '../../integration/support/stack';
import type { IsolatedTenant, KnownFile, ListName } from './isolation-world';

/**
 * Every tenant-scoped route as a template the isolation property fills from
 * one draw: the caller (tenant × role), whose tenant the path names, which
 * object id (the caller's own, another tenant's, or none that exists), which
 * cursor, and foreign ids smuggled into the body or the query. Each template
 * also says which statuses the contract allows for that request in the world
 * as it stands, so a foreign id that gets through is caught by its status as
 * well as by the data it leaks.
 */
const SMUGGLED = ['tenantId', 'userId', 'fileId', 'inviteId', 'key', 'pk'] as const;
const QUERY_IDS = ['tenantId', 'userId', 'fileId', 'inviteId'] as const;

export const ROUTE_NAMES = [
  'GET /tenants/{tenantId}',
  'PATCH /tenants/{tenantId}',
  'GET /tenants/{tenantId}/members',
  'PATCH /tenants/{tenantId}/members/{userId}',
  'DELETE /tenants/{tenantId}/members/{userId}',
  'POST /tenants/{tenantId}/invites',
  'GET /tenants/{tenantId}/invites',
  'DELETE /tenants/{tenantId}/invites/{inviteId}',
  'POST /tenants/{tenantId}/files',
  'GET /tenants/{tenantId}/files',
  'GET /tenants/{tenantId}/files/{fileId}',
  'DELETE /tenants/{tenantId}/files/{fileId}',
  'GET /tenants/{tenantId}/audit',
  'GET /me',
  'GET /me/invites',
  'PUT /me/active-tenant',
  'POST /me/invites/{inviteId}/accept',
  'POST /tenants/{tenantId}/domains',
  'GET /tenants/{tenantId}/domains',
  'POST /tenants/{tenantId}/domains/{domain}/verify',
  'DELETE /tenants/{tenantId}/domains/{domain}',
  'PUT /tenants/{tenantId}/sso',
  'GET /tenants/{tenantId}/sso',
  'DELETE /tenants/{tenantId}/sso',
] as const;
export type RouteName = (typeof ROUTE_NAMES)[number];

const weighted = <T>(...choices: [T, number][]) =>
  fc.oneof(...choices.map(([value, weight]) => ({ arbitrary: fc.constant(value), weight })));

export const drawArbitrary = fc.record({
  tenant: fc.integer({ min: 0, max: 2 }),
  role: fc.constantFrom(...ROLES),
  route: fc.constantFrom(...ROUTE_NAMES),
  pathTenant: weighted<'own' | 'foreign'>(['foreign', 1], ['own', 1]),
  /** Which of the two other tenants is "foreign" in this case. */
  other: fc.constantFrom(1, 2),
  object: weighted<'own' | 'foreign' | 'unknown'>(['foreign', 3], ['own', 2], ['unknown', 1]),
  /** Chooses among the candidate objects, modulo their number. */
  pick: fc.nat({ max: 999 }),
  cursor: fc.constantFrom('none', 'own', 'foreign', 'ownOtherList'),
  smuggle: fc.option(fc.constantFrom(...SMUGGLED), { freq: 3 }),
  extraQuery: fc.option(fc.constantFrom(...QUERY_IDS), { freq: 4 }),
  bodyRole: fc.constantFrom(...ROLES),
  ranged: fc.boolean(),
});
export type Draw = typeof drawArbitrary extends fc.Arbitrary<infer T> ? T : never;

/** A request, the statuses the contract allows for it, and what a success changes in the suite's knowledge. */
export type Built = {
  method: string;
  path: string;
  body?: Record<string, unknown>;
  expected: number[];
  /** Where it names another tenant's object in a place the route uses: any success is foreign access. */
  foreignIn: ForeignPlace[];
  /** Whether the route may delete an object in S3 (then the other tenants' objects are checked too). */
  touchesObjects?: boolean;
  /** A case worth counting apart in the report. */
  note?: string | undefined;
  onSuccess?: (body: unknown) => void;
};

export type ForeignPlace = 'path tenant' | 'object id' | 'body' | 'cursor' | 'query';

/** The places, of those given, that hold another tenant's id. */
const places = (flags: Partial<Record<ForeignPlace, boolean>>): ForeignPlace[] =>
  (Object.entries(flags) as [ForeignPlace, boolean][]).filter(([, on]) => on).map(([place]) => place);

export type Ctx = { d: Draw; me: IsolatedTenant; other: IsolatedTenant; role: Role; userId: string; email: string };

const pickOf = <T>(items: readonly T[], n: number): T | undefined => items[n % Math.max(items.length, 1)];

const must = <T>(value: T | undefined, what: string): T => {
  if (value === undefined) throw new Error(`the world has no ${what}`);
  return value;
};

/** An id of the right shape that names nothing. */
const unknownId = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

const foreignValue = (ctx: Ctx, kind: (typeof SMUGGLED)[number]): string => {
  const { other, d } = ctx;
  const file = must(pickOf(other.files, d.pick), 'foreign file').fileId;
  const values: Record<(typeof SMUGGLED)[number], string> = {
    tenantId: other.tenantId,
    userId: must(pickOf(Object.values(other.callers), d.pick), 'foreign caller').userId,
    fileId: file,
    inviteId: must(pickOf(other.invites, d.pick), 'foreign invite').inviteId,
    key: `tenants/${other.tenantId}/files/${file}`,
    pk: `TENANT#${other.tenantId}`,
  };
  return values[kind];
};

/** The path's tenant, and the refusal the gate gives before anything else: 403 for another tenant or too low a role. */
const gate = (ctx: Ctx, action: TenantAction) => {
  const foreign = ctx.d.pathTenant === 'foreign';
  const base = `/tenants/${foreign ? ctx.other.tenantId : ctx.me.tenantId}`;
  const refused = foreign || !can(ctx.role, action) ? 403 : undefined;
  return { base, foreign, refused };
};

/** A body with a foreign id smuggled in as an unknown field, when drawn (a field the body has is not unknown: left as is). */
const withSmuggled = (ctx: Ctx, body: Record<string, unknown>) =>
  ctx.d.smuggle && !(ctx.d.smuggle in body)
    ? { body: { ...body, [ctx.d.smuggle]: foreignValue(ctx, ctx.d.smuggle) }, smuggled: true }
    : { body, smuggled: false };

/** A foreign id as a query parameter the route does not know: refused by a list's strict schema, ignored elsewhere. */
const extraQuery = (ctx: Ctx): string[] =>
  ctx.d.extraQuery ? [`${ctx.d.extraQuery}=${encodeURIComponent(foreignValue(ctx, ctx.d.extraQuery))}`] : [];

const OTHER_LIST: Record<ListName, ListName> = {
  members: 'invites',
  invites: 'files',
  files: 'audit',
  audit: 'domains',
  domains: 'members',
};

/** `?limit&cursor` (and `from`/`to` for the audit log) of a list, and whether the list must refuse them. */
const listQuery = (ctx: Ctx, list: ListName | 'my-invites') => {
  const { d, me, other } = ctx;
  const params = [`limit=${(d.pick % 3) + 1}`, ...extraQuery(ctx)];
  const ranged = list === 'audit' && d.ranged;
  if (ranged) params.push('from=2000-01-01T00:00:00Z', 'to=2999-12-31T23:59:59Z');
  // GET /me/invites has no cursor of the caller's to offer here (nobody invited them elsewhere): "own" is another list's.
  const ownCursor = list === 'my-invites' ? undefined : me.cursors[list];
  const cursor =
    d.cursor === 'own'
      ? (ownCursor ?? me.cursors.members)
      : d.cursor === 'foreign'
        ? other.cursors[list === 'my-invites' ? 'members' : list]
        : d.cursor === 'ownOtherList'
          ? me.cursors[list === 'my-invites' ? 'members' : OTHER_LIST[list]]
          : undefined;
  if (cursor) params.push(`cursor=${encodeURIComponent(cursor)}`);
  // A cursor holds the list's scope: another tenant's, another list's, or an unranged one in a ranged read is refused.
  const cursorFits = d.cursor === 'none' || (d.cursor === 'own' && ownCursor !== undefined && !ranged);
  return {
    query: `?${params.join('&')}`,
    refused: d.extraQuery !== null || !cursorFits ? 400 : undefined,
    foreign: { query: d.extraQuery !== null, cursor: d.cursor === 'foreign' },
  };
};

const listRoute =
  (list: ListName, action: TenantAction) =>
  (ctx: Ctx): Built => {
    const g = gate(ctx, action);
    const q = listQuery(ctx, list);
    return {
      method: 'GET',
      path: `${g.base}/${list}${q.query}`,
      expected: [g.refused ?? q.refused ?? 200],
      foreignIn: places({ 'path tenant': g.foreign, ...q.foreign }),
    };
  };

/** The object id of a drawn scope: another tenant's, one that does not exist, or the caller's own from `own`. */
const objectId = (ctx: Ctx, foreignKind: 'userId' | 'inviteId' | 'fileId', own: () => string | undefined) => {
  if (ctx.d.object === 'own') {
    const id = own();
    if (id !== undefined) return { id, scope: 'own' as const };
  }
  if (ctx.d.object === 'foreign') return { id: foreignValue(ctx, foreignKind), scope: 'foreign' as const };
  return { id: unknownId(ctx.d.pick), scope: 'unknown' as const };
};

const members = (t: IsolatedTenant) => Object.values(t.callers);

/** A role change of the caller's own tenant that cannot succeed, or one to the member's own role (no change). */
const ownRoleChange = (ctx: Ctx) => {
  const target = must(pickOf(members(ctx.me), ctx.d.pick), 'own member');
  const wanted = ctx.d.bodyRole;
  const ownerRule = (target.role === 'owner' || wanted === 'owner') && ctx.role !== 'owner';
  const lastOwner = target.role === 'owner' && wanted !== 'owner';
  if (ownerRule) return { target, role: wanted, status: 403 };
  if (lastOwner) return { target, role: wanted, status: 409 };
  return { target, role: target.role, status: 200 };
};

/** Removals of the caller's own tenant that cannot succeed (a removal would change the world the later cases rely on). */
const ownRefusedRemoval = (ctx: Ctx) => {
  if (ctx.role === 'owner') return { target: ctx.me.callers.owner, status: 409 }; // the last owner
  return { target: ctx.me.callers.owner, status: 403 }; // only an owner removes an owner
};

/**
 * A domain name for a domain route's path, by the drawn object: one the
 * caller's tenant holds (`own`, those `ownFilter` lets through), one another
 * tenant holds (`foreign`: a foreign access unless the caller's tenant holds
 * the same name itself, as it may), or one nobody added. What the caller's
 * tenant holds of it decides the answer.
 */
const domainTarget = (ctx: Ctx, ownFilter: (name: string, seeded: boolean) => boolean) => {
  const { d, me, other } = ctx;
  const own = [...me.domains].filter(([name, known]) => ownFilter(name, known.seeded)).map(([name]) => name);
  // Another tenant's domain the caller's tenant verified itself would be its own seeded one: left out, as for `own`.
  const foreign = [...other.domains.keys()].filter((name) => me.domains.get(name)?.seeded !== true);
  const name =
    (d.object === 'own' ? pickOf(own, d.pick) : undefined) ??
    (d.object === 'foreign' ? pickOf(foreign, d.pick) : undefined) ??
    `unknown-${d.pick}.isolation.test`;
  const held = me.domains.get(name);
  return { name, held, foreign: held === undefined && other.domains.has(name) };
};

/** Whether the other tenant of the case verified this domain (its claim must survive whatever the caller does). */
const claimedElsewhere = (ctx: Ctx, name: string) => name === ctx.other.verifiedDomain;

const fileOutcome = (ctx: Ctx, file: KnownFile): number => {
  if (file.deleted) return 404;
  return can(ctx.role, 'files.deleteAny') || file.uploadedBy === ctx.userId ? 204 : 403;
};

export const ROUTES: Record<RouteName, (ctx: Ctx) => Built> = {
  'GET /tenants/{tenantId}': (ctx) => {
    const g = gate(ctx, 'tenant.read');
    return {
      method: 'GET',
      path: [g.base, ...extraQuery(ctx)].join('?'),
      expected: [g.refused ?? 200],
      foreignIn: places({ 'path tenant': g.foreign }),
    };
  },
  'PATCH /tenants/{tenantId}': (ctx) => {
    const g = gate(ctx, 'tenant.update');
    // The tag stays in the name, so a renamed tenant's name is still recognised as its own.
    const { body, smuggled } = withSmuggled(ctx, { name: `${ctx.me.name} #${ctx.d.pick % 10}` });
    return {
      method: 'PATCH',
      path: g.base,
      body,
      expected: [g.refused ?? (smuggled ? 400 : 200)],
      foreignIn: places({ 'path tenant': g.foreign, body: smuggled }),
    };
  },
  'GET /tenants/{tenantId}/members': listRoute('members', 'members.list'),
  'PATCH /tenants/{tenantId}/members/{userId}': (ctx) => {
    const g = gate(ctx, 'members.update');
    const own = ctx.d.object === 'own' ? ownRoleChange(ctx) : undefined;
    const target = objectId(ctx, 'userId', () => own?.target.userId);
    const { body, smuggled } = withSmuggled(ctx, { role: own?.role ?? ctx.d.bodyRole });
    const status = g.refused ?? (smuggled ? 400 : (own?.status ?? 404));
    return {
      method: 'PATCH',
      path: `${g.base}/members/${target.id}`,
      body,
      expected: [status],
      foreignIn: places({ 'path tenant': g.foreign, body: smuggled, 'object id': target.scope === 'foreign' }),
    };
  },
  'DELETE /tenants/{tenantId}/members/{userId}': (ctx) => {
    const g = gate(ctx, 'members.remove');
    const own = ctx.d.object === 'own' ? ownRefusedRemoval(ctx) : undefined;
    const target = objectId(ctx, 'userId', () => own?.target.userId);
    return {
      method: 'DELETE',
      path: `${g.base}/members/${target.id}`,
      expected: [g.refused ?? own?.status ?? 404],
      foreignIn: places({ 'path tenant': g.foreign, 'object id': target.scope === 'foreign' }),
    };
  },
  'POST /tenants/{tenantId}/invites': (ctx) => {
    const g = gate(ctx, 'invites.create');
    const email = uniqueEmail(`${ctx.me.tag}-run`);
    const { body, smuggled } = withSmuggled(ctx, { email, role: ctx.d.bodyRole });
    const ownerRule = ctx.d.bodyRole === 'owner' && ctx.role !== 'owner';
    // The hourly limit (serverless.yml invitesPerHour: 100) may answer once this tenant reached it.
    const created = ctx.me.invitesThisHour >= 100 ? [201, 429] : [201];
    const expected = g.refused ? [g.refused] : smuggled ? [400] : ownerRule ? [403] : created;
    return {
      method: 'POST',
      path: `${g.base}/invites`,
      body,
      expected,
      foreignIn: places({ 'path tenant': g.foreign, body: smuggled }),
      onSuccess: (res) => {
        const { inviteId } = res as { inviteId: string };
        ctx.me.invites.push({ inviteId, email, status: 'pending' });
        ctx.me.secrets.add(inviteId).add(email);
        ctx.me.invitesThisHour += 1;
      },
    };
  },
  'GET /tenants/{tenantId}/invites': listRoute('invites', 'invites.list'),
  'DELETE /tenants/{tenantId}/invites/{inviteId}': (ctx) => {
    const g = gate(ctx, 'invites.revoke');
    const own = pickOf(ctx.me.invites, ctx.d.pick);
    const target = objectId(ctx, 'inviteId', () => own?.inviteId);
    const status = target.scope === 'own' && own ? (own.status === 'pending' ? 204 : 409) : 404;
    return {
      method: 'DELETE',
      path: `${g.base}/invites/${target.id}`,
      expected: [g.refused ?? status],
      foreignIn: places({ 'path tenant': g.foreign, 'object id': target.scope === 'foreign' }),
      onSuccess: () => {
        if (own) own.status = 'revoked';
      },
    };
  },
  'POST /tenants/{tenantId}/files': (ctx) => {
    const g = gate(ctx, 'files.create');
    const { body, smuggled } = withSmuggled(ctx, {
      name: `${ctx.me.tag}-run-${ctx.d.pick}.csv`,
      contentType: 'text/csv',
      size: ctx.d.pick,
    });
    return {
      method: 'POST',
      path: `${g.base}/files`,
      body,
      expected: [g.refused ?? (smuggled ? 400 : 201)],
      foreignIn: places({ 'path tenant': g.foreign, body: smuggled }),
      onSuccess: (res) => {
        const { fileId } = (res as { file: { fileId: string } }).file;
        ctx.me.files.push({ fileId, uploadedBy: ctx.userId, seeded: false, deleted: false });
        ctx.me.secrets.add(fileId);
      },
    };
  },
  'GET /tenants/{tenantId}/files': listRoute('files', 'files.list'),
  'GET /tenants/{tenantId}/files/{fileId}': (ctx) => {
    const g = gate(ctx, 'files.read');
    const own = pickOf(ctx.me.files, ctx.d.pick);
    const target = objectId(ctx, 'fileId', () => own?.fileId);
    const status = target.scope === 'own' && own && !own.deleted ? 200 : 404;
    const path = [`${g.base}/files/${target.id}`, ...extraQuery(ctx)].join('?');
    return {
      method: 'GET',
      path,
      expected: [g.refused ?? status],
      foreignIn: places({ 'path tenant': g.foreign, 'object id': target.scope === 'foreign' }),
    };
  },
  'DELETE /tenants/{tenantId}/files/{fileId}': (ctx) => {
    const g = gate(ctx, 'files.deleteOwn');
    // The seeded files stay: only files made during the run, or seeded ones the caller may not delete, are targets.
    const candidates = ctx.me.files.filter((f) => !f.seeded || fileOutcome(ctx, f) === 403);
    const own = pickOf(candidates, ctx.d.pick);
    const target = objectId(ctx, 'fileId', () => own?.fileId);
    const status = target.scope === 'own' && own ? fileOutcome(ctx, own) : 404;
    return {
      method: 'DELETE',
      path: `${g.base}/files/${target.id}`,
      expected: [g.refused ?? status],
      foreignIn: places({ 'path tenant': g.foreign, 'object id': target.scope === 'foreign' }),
      touchesObjects: true,
      onSuccess: () => {
        if (own) own.deleted = true;
      },
    };
  },
  'GET /tenants/{tenantId}/audit': listRoute('audit', 'audit.read'),
  // A query parameter GET /me does not read: ignored, so not a foreign access (the answer is still checked for leaks).
  'GET /me': (ctx) => ({ method: 'GET', path: ['/me', ...extraQuery(ctx)].join('?'), expected: [200], foreignIn: [] }),
  'GET /me/invites': (ctx) => {
    const q = listQuery(ctx, 'my-invites');
    return { method: 'GET', path: `/me/invites${q.query}`, expected: [q.refused ?? 200], foreignIn: places(q.foreign) };
  },
  'PUT /me/active-tenant': (ctx) => {
    const foreign = ctx.d.pathTenant === 'foreign';
    const { body, smuggled } = withSmuggled(ctx, { tenantId: foreign ? ctx.other.tenantId : ctx.me.tenantId });
    return {
      method: 'PUT',
      path: '/me/active-tenant',
      body,
      expected: [smuggled ? 400 : foreign ? 403 : 200],
      foreignIn: places({ body: foreign || smuggled }),
    };
  },
  'POST /tenants/{tenantId}/domains': (ctx) => {
    const g = gate(ctx, 'sso.manage');
    const { d, me, other } = ctx;
    // own: a new name; foreign: the name another tenant verified (anyone may add it, pending; only one verifies);
    // unknown: a name the caller's tenant holds already (409).
    const name =
      d.object === 'foreign'
        ? other.verifiedDomain
        : d.object === 'own'
          ? uniqueDomain(`${me.label.toLowerCase()}-run`)
          : (pickOf([...me.domains.keys()], d.pick) ?? me.verifiedDomain);
    const { body, smuggled } = withSmuggled(ctx, { domain: name });
    const status = me.domains.has(name) || me.domains.size >= 20 ? 409 : 201;
    return {
      method: 'POST',
      path: `${g.base}/domains`,
      body,
      expected: [g.refused ?? (smuggled ? 400 : status)],
      foreignIn: places({ 'path tenant': g.foreign, body: smuggled }),
      onSuccess: (res) => {
        const { domain, txtRecord } = res as { domain: string; txtRecord: { value: string } };
        me.domains.set(domain, { status: 'pending', seeded: false });
        me.secrets.add(txtRecord.value);
      },
    };
  },
  'GET /tenants/{tenantId}/domains': listRoute('domains', 'sso.manage'),
  'POST /tenants/{tenantId}/domains/{domain}/verify': (ctx) => {
    const g = gate(ctx, 'sso.manage');
    const target = domainTarget(ctx, () => true);
    // Verified: answered unchanged. Pending: claimed by another tenant, or no TXT record holds its value (409 either way).
    const status = target.held === undefined ? 404 : target.held.status === 'verified' ? 200 : 409;
    return {
      method: 'POST',
      path: `${g.base}/domains/${target.name}/verify`,
      expected: [g.refused ?? status],
      foreignIn: places({ 'path tenant': g.foreign, 'object id': target.foreign }),
      note: target.held && claimedElsewhere(ctx, target.name) ? 'verify: a domain another tenant verified' : undefined,
    };
  },
  'DELETE /tenants/{tenantId}/domains/{domain}': (ctx) => {
    const g = gate(ctx, 'sso.manage');
    // The seeded verified domains stay (their claims are the world's); any pending one may go.
    const target = domainTarget(ctx, (_, seeded) => !seeded);
    return {
      method: 'DELETE',
      path: `${g.base}/domains/${target.name}`,
      expected: [g.refused ?? (target.held ? 204 : 404)],
      foreignIn: places({ 'path tenant': g.foreign, 'object id': target.foreign }),
      note: target.held && claimedElsewhere(ctx, target.name) ? 'remove: the pending copy of a domain another tenant verified' : undefined,
      onSuccess: () => {
        ctx.me.domains.delete(target.name);
      },
    };
  },
  'PUT /tenants/{tenantId}/sso': (ctx) => {
    const g = gate(ctx, 'sso.manage');
    const { me, d } = ctx;
    // The tenant's own provider client; `owner` as the default role is refused (SSO never mints owners).
    const { body, smuggled } = withSmuggled(ctx, {
      type: 'oidc',
      issuer: stack.oidcIdp.issuer,
      clientId: me.sso.clientId,
      clientSecret: me.sso.clientSecret,
      defaultRole: d.bodyRole,
      enforce: false,
    });
    const status = smuggled || d.bodyRole === 'owner' ? 400 : me.sso.configured ? 200 : 201;
    return {
      method: 'PUT',
      path: `${g.base}/sso`,
      body,
      expected: [g.refused ?? status],
      foreignIn: places({ 'path tenant': g.foreign, body: smuggled }),
      onSuccess: () => {
        me.sso.configured = true;
      },
    };
  },
  'GET /tenants/{tenantId}/sso': (ctx) => {
    const g = gate(ctx, 'sso.manage');
    return {
      method: 'GET',
      path: [`${g.base}/sso`, ...extraQuery(ctx)].join('?'),
      expected: [g.refused ?? (ctx.me.sso.configured ? 200 : 404)],
      foreignIn: places({ 'path tenant': g.foreign }),
    };
  },
  'DELETE /tenants/{tenantId}/sso': (ctx) => {
    const g = gate(ctx, 'sso.manage');
    return {
      method: 'DELETE',
      path: `${g.base}/sso`,
      expected: [g.refused ?? (ctx.me.sso.configured ? 204 : 404)],
      foreignIn: places({ 'path tenant': g.foreign }),
      onSuccess: () => {
        ctx.me.sso.configured = false;
      },
    };
  },
  'POST /me/invites/{inviteId}/accept': (ctx) => {
    // Every invite is addressed to someone else (404) but the one that made the caller a member: no longer pending (409).
    const own = pickOf(ctx.me.invites, ctx.d.pick);
    const target = objectId(ctx, 'inviteId', () => own?.inviteId);
    const status = target.scope === 'own' && own?.email === ctx.email ? 409 : 404;
    return {
      method: 'POST',
      path: `/me/invites/${target.id}/accept`,
      expected: [status],
      foreignIn: places({ 'object id': target.scope === 'foreign' }),
    };
  },
};
