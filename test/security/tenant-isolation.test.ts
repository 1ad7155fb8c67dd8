import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES } from '../../src/lib/auth/roles';
import { s3 } from '../integration/files/file-support';
import { api } from '../integration/support/api';
import { stack } from '../integration/support/stack';
import { assertParameters, fuzzSettings, Tally } from './support/fuzz';
import { type Built, type Ctx, type Draw, drawArbitrary, ROUTE_NAMES, ROUTES, type RouteName } from './support/isolation-routes';
import { buildIsolatedTenant, connectSso, type IsolatedTenant } from './support/isolation-world';
import { writeSuiteReport } from './support/report';
import { type Change, changesBetween, describeChanges, ownersOfChange, readTable, type TableState } from './support/table-state';

/**
 * Issue 12.2: three tenants, each with an owner, admin, member and viewer and
 * data of every kind; fast-check draws a caller, a tenant-scoped route and ids
 * of other tenants (in the path, the body, the query, a cursor) mixed with the
 * caller's own. After every request:
 *  (a) the answer holds no id, name or email of another tenant;
 *  (b) the table (read whole) changed only in the caller's tenant and the
 *      caller's own profile, and not at all when the answer was a refusal; a
 *      DELETE of a file left every other tenant's objects in S3;
 *  (c) the status is the one the contract gives that request in the world as
 *      it stands (a foreign id is refused: 403 in the path, 404 as an object,
 *      400 as a cursor or smuggled field).
 * Own-tenant successes are kept to those that leave the world intact (the
 * caller's own renames, invites, uploads, revocations and deletions of files
 * made during the run, role "changes" to the same role); removing members,
 * changing roles and deleting the seeded files are drawn only where the
 * contract refuses them (403, or 409 for the last owner).
 *
 * SSO and domains (issue 14): every tenant has its SSO and three domains
 * (see isolation-world.ts); all seven routes are owner-only (403 for the
 * other roles and for another tenant's path). A domain name of another
 * tenant in the caller's own path is a 404 unless the caller's tenant holds
 * that name too (pending: its own item, which it may verify, 409, or
 * remove, 204, leaving the other tenant's claim alone). An owner's own
 * successes include adding domains, removing pending ones, and removing and
 * configuring the tenant's SSO again (Cognito's provider and the app client
 * included); the seeded verified domains stay.
 * Items that are no tenant's data: a domain's claim and a provider's owner
 * belong to the tenant their content names (before and after the change);
 * the app client's lease (`LOCK#app-client`) may change only with an owner's
 * successful PUT or DELETE of the SSO (it is held and released within the
 * request, so normally nothing stays); rate counters (`RATE#…`, written only
 * by POST /sso/discover, which is public and in no tenant) must not change.
 */
const FILE = 'test/security/tenant-isolation.test.ts';
const settings = fuzzSettings('tenant-isolation', FILE, 1000);

/**
 * The SSO and domain routes, owner-only, are a small share of the random
 * draws (a quarter of the callers are owners), so before them every role
 * meets each of these routes once with its own tenant's path and once with
 * another's, and each domain route with a domain of its own, of another
 * tenant and of none. An owner's SSO is removed, configured anew and read, in that order.
 */
const SWEPT: RouteName[] = [
  'POST /tenants/{tenantId}/domains',
  'GET /tenants/{tenantId}/domains',
  'POST /tenants/{tenantId}/domains/{domain}/verify',
  'DELETE /tenants/{tenantId}/domains/{domain}',
  'DELETE /tenants/{tenantId}/sso',
  'PUT /tenants/{tenantId}/sso',
  'GET /tenants/{tenantId}/sso',
];
const sweep: Draw[] = ROLES.flatMap((role, r) =>
  SWEPT.flatMap((route) =>
    (['own', 'foreign'] as const).flatMap((pathTenant) =>
      (route.includes('/domains') && route !== 'GET /tenants/{tenantId}/domains'
        ? (['own', 'foreign', 'unknown'] as const)
        : (['own'] as const)
      ).map(
        (object, o): Draw => ({
          tenant: r % 3,
          role,
          route,
          pathTenant,
          other: (r + o) % 2 === 0 ? 1 : 2,
          object,
          pick: r * 7 + o,
          cursor: 'none',
          smuggle: null,
          extraQuery: null,
          bodyRole: 'member',
          ranged: false,
        }),
      ),
    ),
  ),
);

const objectKeys = async (): Promise<string[]> => {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const out = await s3.send(new ListObjectsV2Command({ Bucket: stack.s3.bucket, Prefix: 'tenants/', ContinuationToken: token }));
    keys.push(...(out.Contents ?? []).flatMap((o) => (o.Key ? [o.Key] : [])));
    token = out.NextContinuationToken;
  } while (token);
  return keys.sort();
};

describe('tenant isolation, property-fuzzed over tenants × roles × routes × foreign ids', () => {
  let tenants: IsolatedTenant[];
  let table: TableState;
  const counts = { cases: 0, refused: 0, accepted: 0, serverErrors: 0, leaks: 0 };
  const breakdown = new Tally();
  const timing = { requestMs: 0, tableMs: 0, started: 0 };

  beforeAll(async () => {
    tenants = await Promise.all(['A', 'B', 'C'].map(buildIsolatedTenant));
    await connectSso(tenants);
    table = await readTable();
    timing.started = Date.now();
  }, 240_000);

  afterAll(() => {
    const n = Math.max(counts.cases, 1);
    console.log(
      `[tenant-isolation] ${counts.cases} cases in ${((Date.now() - timing.started) / 1000).toFixed(1)} s; ` +
        `per case: request ${(timing.requestMs / n).toFixed(0)} ms, table read ${(timing.tableMs / n).toFixed(0)} ms`,
    );
    if (settings.path) return; // a replayed counterexample is not a run to report
    writeSuiteReport({
      suite: 'tenant-isolation',
      title: `Tenant isolation: 3 tenants × 4 roles × ${ROUTE_NAMES.length} tenant-scoped routes, foreign ids in path, body, query and cursor`,
      ...counts,
      seed: settings.seed,
      breakdown: breakdown.counts,
    });
  });

  /** Every string of the other tenants found in an answer to a caller of `me`. */
  const leaksIn = (text: string, me: IsolatedTenant): string[] =>
    tenants.filter((t) => t !== me).flatMap((t) => [...t.secrets].filter((s) => text.includes(s)).map((s) => `${t.label}: ${s}`));

  /** The lease every change of the app client's provider list holds: infrastructure, not a tenant's data. */
  const APP_CLIENT_LEASE = 'LOCK#app-client';
  const SSO_WRITES = ['PUT /tenants/{tenantId}/sso', 'DELETE /tenants/{tenantId}/sso'];

  /**
   * A change the caller could make: in their own tenant, or their own profile
   * (the active tenant); the app client's lease only with their own SSO change.
   */
  const isOwn = (change: Change, me: IsolatedTenant, userId: string, d: Draw, status: number): boolean => {
    if (change.pk === APP_CLIENT_LEASE) return SSO_WRITES.includes(d.route) && status < 300;
    return ownersOfChange(change).every(
      (owner) => ('tenantId' in owner && owner.tenantId === me.tenantId) || ('userId' in owner && owner.userId === userId),
    );
  };

  const send = (req: Built, token: string) => api(req.path, { method: req.method, token, ...(req.body ? { body: req.body } : {}) });

  const runCase = async (d: Draw): Promise<void> => {
    // Prepare
    const me = tenants[d.tenant];
    const other = tenants[(d.tenant + d.other) % 3];
    if (!me || !other) throw new Error('no such tenant');
    const caller = me.callers[d.role];
    const ctx: Ctx = { d, me, other, role: d.role, userId: caller.userId, email: caller.email };
    const req = ROUTES[d.route](ctx);
    const objectsBefore = req.touchesObjects ? await objectKeys() : [];

    // Act
    const sent = Date.now();
    const res = await send(req, caller.accessToken);
    const answered = Date.now();
    const after = await readTable();
    timing.requestMs += answered - sent;
    timing.tableMs += Date.now() - answered;
    const changes = changesBetween(table, after);
    table = after;
    const objectsAfter = req.touchesObjects ? await objectKeys() : [];

    // Assess
    const what = `${d.role} of ${me.label} ${req.method} ${req.path}${req.body ? ` ${JSON.stringify(req.body)}` : ''} → ${res.status} ${res.text.slice(0, 500)}`;
    const leaked = leaksIn(res.text, me);
    const stray = changes.filter((c) => !isOwn(c, me, caller.userId, d, res.status));
    const ownPrefix = `tenants/${me.tenantId}/`;
    const lostObjects = objectsBefore.filter((k) => !k.startsWith(ownPrefix) && !objectsAfter.includes(k));
    const expectedStatus = req.expected.includes(res.status);
    counts.cases += 1;
    breakdown.add(d.route);
    for (const place of req.foreignIn) breakdown.add(`foreign id in the ${place}`);
    if (req.foreignIn.length === 0 && res.status < 300) {
      breakdown.add('own-tenant successes');
      breakdown.add(`own-tenant successes: ${d.route}`);
    }
    if (req.note) breakdown.add(req.note);
    if (res.status >= 500) counts.serverErrors += 1;
    if (req.foreignIn.length > 0 && res.status < 300) counts.accepted += 1;
    if (leaked.length > 0 || stray.length > 0 || lostObjects.length > 0) counts.leaks += 1;
    if (res.status >= 400 && res.status < 500 && expectedStatus) counts.refused += 1;
    if (res.status < 300 && expectedStatus) req.onSuccess?.(res.body);

    expect(leaked, `another tenant's data in the answer to ${what}`).toEqual([]);
    expect(describeChanges(stray), `a write outside the caller's tenant by ${what}`).toBe('');
    expect(lostObjects, `another tenant's objects deleted by ${what}`).toEqual([]);
    if (res.status >= 400) expect(describeChanges(changes), `a refused request wrote: ${what}`).toBe('');
    expect(req.expected, `status of ${what}`).toContain(res.status);
  };

  it(`sweeps ${sweep.length} cases: every role × the SSO and domain routes × own or foreign path × own, foreign or unknown domain`, async () => {
    for (const d of sweep) await runCase(d);

    expect(counts.accepted).toBe(0);
    expect(counts.leaks).toBe(0);
  });

  it("keeps every answer and every write inside the caller's tenant", async () => {
    await fc.assert(fc.asyncProperty(drawArbitrary, runCase), assertParameters(settings));

    expect(counts.accepted).toBe(0);
    expect(counts.leaks).toBe(0);
    expect(counts.serverErrors).toBe(0);
    // About 100 s alone; on a machine busy with other suites, up to four times that.
  }, 600_000);
});
