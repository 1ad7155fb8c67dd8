/**
 * The requests each autocannon connection repeats: reads of every kind and
 * writes whose audit events can be told apart afterwards (a unique name per
 * rename, a unique email per invite, the invite's or file's id per deletion).
 * Each round of the steps works in the next tenant, as its users of each role.
 */
import { randomUUID } from 'node:crypto';
import type { Request } from 'autocannon';
import type { Role } from '../../src/lib/auth/roles';
import type { Ledger, Mutation } from './ledger';
import { type LoadTenant, loadEmail } from './world';

/** One connection's state: which connection, how many requests it has built, its round's tenant and invite, the request in flight. */
type Ctx = {
  conn?: number;
  done: number;
  step?: number;
  tenant?: LoadTenant;
  inviteId?: string | undefined;
  fileId?: string | undefined;
  pending?: number;
};
type Call = { route: string; as: Role; method: 'GET' | 'POST' | 'PATCH' | 'DELETE'; path: string; body?: unknown; mutation?: Mutation };
type Step = {
  call: (tenant: LoadTenant, ctx: Ctx) => Call;
  /** 4xx answers this route may give under load without anything being wrong. */
  refusals?: number[];
  onOk?: (body: string, ctx: Ctx) => void;
};

const t = (tenant: LoadTenant) => `/tenants/${tenant.tenantId}`;
let renames = 0;

const STEPS: Step[] = [
  { call: () => ({ route: 'GET /me', as: 'viewer', method: 'GET', path: '/me' }) },
  { call: (x) => ({ route: 'GET /tenants/{id}', as: 'member', method: 'GET', path: t(x) }) },
  {
    call: (x) => {
      const email = loadEmail('invitee');
      const mutation: Mutation = { type: 'invite.created', key: email };
      return {
        route: 'POST /tenants/{id}/invites',
        as: 'admin',
        method: 'POST',
        path: `${t(x)}/invites`,
        body: { email, role: 'viewer' },
        mutation,
      };
    },
    // 409: another write to the tenant's invite counter at the same moment; 429: the tenant's hourly invites are used up.
    refusals: [409, 429],
    onOk: (body, ctx) => {
      ctx.inviteId = (JSON.parse(body) as { inviteId: string }).inviteId;
    },
  },
  { call: (x) => ({ route: 'GET /tenants/{id}/members', as: 'viewer', method: 'GET', path: `${t(x)}/members` }) },
  {
    call: (x) => {
      renames += 1;
      const name = `${x.name} r${renames}`;
      const mutation: Mutation = { type: 'tenant.updated', key: `${x.tenantId}|${name}` };
      return { route: 'PATCH /tenants/{id}', as: 'owner', method: 'PATCH', path: t(x), body: { name }, mutation };
    },
    // Renames and invites of one tenant touch its item at once: one of them is refused as a concurrent change.
    refusals: [409],
  },
  {
    // A declared upload is not audited (file.uploaded comes with the object): only its deletion is.
    call: (x) => ({
      route: 'POST /tenants/{id}/files',
      as: 'member',
      method: 'POST',
      path: `${t(x)}/files`,
      body: { name: `load-${randomUUID().slice(0, 8)}.csv`, contentType: 'text/csv', size: 128 },
    }),
    onOk: (body, ctx) => {
      ctx.fileId = (JSON.parse(body) as { file: { fileId: string } }).file.fileId;
    },
  },
  { call: (x) => ({ route: 'GET /tenants/{id}/files', as: 'member', method: 'GET', path: `${t(x)}/files` }) },
  {
    // Revokes the invite this round created; when there is none (refused), lists the invites instead.
    call: (x, ctx) =>
      ctx.inviteId
        ? {
            route: 'DELETE /tenants/{id}/invites/{id}',
            as: 'admin',
            method: 'DELETE',
            path: `${t(x)}/invites/${ctx.inviteId}`,
            mutation: { type: 'invite.revoked', key: ctx.inviteId },
          }
        : { route: 'GET /tenants/{id}/invites', as: 'admin', method: 'GET', path: `${t(x)}/invites?limit=10` },
  },
  {
    // Deletes the file this round declared (as its uploader); when there is none, lists the files instead.
    call: (x, ctx) =>
      ctx.fileId
        ? {
            route: 'DELETE /tenants/{id}/files/{id}',
            as: 'member',
            method: 'DELETE',
            path: `${t(x)}/files/${ctx.fileId}`,
            mutation: { type: 'file.deleted', key: ctx.fileId },
          }
        : { route: 'GET /tenants/{id}/files', as: 'member', method: 'GET', path: `${t(x)}/files` },
  },
  { call: (x) => ({ route: 'GET /tenants/{id}/audit', as: 'owner', method: 'GET', path: `${t(x)}/audit?limit=25` }) },
];

/** How many requests one round makes: connections start spread over them. */
export const STEP_COUNT = STEPS.length;

type InFlight = { route: string; startedAt: number; mutation?: Mutation | undefined };

/**
 * autocannon clears a connection's context each time it comes to the end of
 * its request list; a list this long keeps one context per connection for the
 * whole run (a connection that still gets there just starts afresh).
 */
const LIST_LENGTH = 20_000;

/** The autocannon requests, recording every answer in the ledger; `settle` accounts for the ones that never got one. */
export const requestMix = (tenants: LoadTenant[], ledger: Ledger) => {
  let connections = 0;
  let nextId = 0;
  const inFlight = new Map<number, InFlight>();
  const tenantAt = (i: number) => tenants[i % tenants.length] as LoadTenant;

  const setupRequest = (req: Request, context: object): Request => {
    const ctx = context as Ctx;
    if (ctx.conn === undefined) {
      // Connections start at different steps, so they do not all wait on one function's cold start.
      ctx.conn = connections++;
      ctx.done = ctx.conn % STEPS.length;
      ctx.tenant = tenantAt(ctx.conn);
    }
    const index = ctx.done++ % STEPS.length;
    if (index === 0) {
      ctx.tenant = tenantAt((ctx.tenant ? tenants.indexOf(ctx.tenant) : 0) + 1);
      ctx.inviteId = undefined;
      ctx.fileId = undefined;
    }
    const tenant = ctx.tenant as LoadTenant;
    const call = (STEPS[index] as Step).call(tenant, ctx);
    ctx.step = index;
    ctx.pending = nextId++;
    inFlight.set(ctx.pending, { route: call.route, startedAt: performance.now(), mutation: call.mutation });
    return {
      ...req,
      method: call.method,
      path: call.path,
      headers: { authorization: `Bearer ${tenant.users[call.as].accessToken}`, 'content-type': 'application/json' },
      body: call.body === undefined ? undefined : JSON.stringify(call.body),
    };
  };

  const onResponse = (status: number, body: string, context: object): void => {
    const ctx = context as Ctx;
    const sent = ctx.pending === undefined ? undefined : inFlight.get(ctx.pending);
    const step = ctx.step === undefined ? undefined : STEPS[ctx.step];
    if (!sent || !step || ctx.pending === undefined) return;
    inFlight.delete(ctx.pending);
    ledger.answered(sent.route, {
      status,
      ms: performance.now() - sent.startedAt,
      body,
      refusals: step.refusals ?? [],
      mutation: sent.mutation,
    });
    if (status >= 200 && status < 300) step.onOk?.(body, ctx);
  };

  const requests: Request[] = Array.from({ length: LIST_LENGTH }, () => ({ setupRequest, onResponse }));

  /**
   * After the run: a request still without an answer either timed out (in
   * flight longer than the timeout) or was cut off when the run stopped.
   */
  const settle = (timeoutMs: number): void => {
    const now = performance.now();
    for (const sent of inFlight.values()) {
      ledger.unanswered(sent.route, now - sent.startedAt >= timeoutMs ? 'timedOut' : 'cutOff', sent.mutation);
    }
    inFlight.clear();
  };

  return { requests, settle };
};
