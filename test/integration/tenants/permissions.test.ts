import { beforeAll, describe, expect, it } from 'vitest';
import { PERMISSIONS, type TenantAction } from '../../../src/lib/auth/permissions';
import { ROLES } from '../../../src/lib/auth/roles';
import { api } from '../support/api';
import { signIn } from '../support/cognito';
import { uniqueEmail } from '../support/stack';
import { buildWorld, type World } from '../support/world';

type CallerKind = keyof World['callers'];
const CALLERS: CallerKind[] = ['viewer', 'member', 'admin', 'owner', 'nonMember', 'platformAdmin'];
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

type RouteCase = {
  route: string;
  method: string;
  path: (w: World) => string;
  body?: () => unknown;
  /** Who may call it: a tenant action (checked against the permission table), or a rule of its own. */
  allowed: TenantAction | ((caller: CallerKind) => boolean);
};

/** Every route but GET /health, with inputs that change nothing a later case relies on. */
const ROUTES: RouteCase[] = [
  { route: 'GET /tenants/{id}', method: 'GET', path: (w) => `/tenants/${w.tenantA}`, allowed: 'tenant.read' },
  {
    route: 'PATCH /tenants/{id}',
    method: 'PATCH',
    path: (w) => `/tenants/${w.tenantA}`,
    body: () => ({ name: 'Tenant A' }),
    allowed: 'tenant.update',
  },
  { route: 'GET /tenants/{id}/members', method: 'GET', path: (w) => `/tenants/${w.tenantA}/members`, allowed: 'members.list' },
  {
    route: 'PATCH /tenants/{id}/members/{userId}',
    method: 'PATCH',
    path: (w) => `/tenants/${w.tenantA}/members/${UNKNOWN_ID}`,
    body: () => ({ role: 'viewer' }),
    allowed: 'members.update',
  },
  {
    route: 'DELETE /tenants/{id}/members/{userId}',
    method: 'DELETE',
    path: (w) => `/tenants/${w.tenantA}/members/${UNKNOWN_ID}`,
    allowed: 'members.remove',
  },
  {
    route: 'POST /tenants/{id}/invites',
    method: 'POST',
    path: (w) => `/tenants/${w.tenantA}/invites`,
    body: () => ({ email: uniqueEmail('perm'), role: 'viewer' }),
    allowed: 'invites.create',
  },
  { route: 'GET /tenants/{id}/invites', method: 'GET', path: (w) => `/tenants/${w.tenantA}/invites`, allowed: 'invites.list' },
  {
    route: 'DELETE /tenants/{id}/invites/{inviteId}',
    method: 'DELETE',
    path: (w) => `/tenants/${w.tenantA}/invites/${UNKNOWN_ID}`,
    allowed: 'invites.revoke',
  },
  { route: 'GET /tenants/{id}/audit', method: 'GET', path: (w) => `/tenants/${w.tenantA}/audit`, allowed: 'audit.read' },
  {
    route: 'POST /tenants',
    method: 'POST',
    path: () => '/tenants',
    body: () => ({ name: 'Made by a platform admin', ownerEmail: uniqueEmail('made') }),
    allowed: (c) => c === 'platformAdmin',
  },
  { route: 'GET /me', method: 'GET', path: () => '/me', allowed: () => true },
  { route: 'GET /me/invites', method: 'GET', path: () => '/me/invites', allowed: () => true },
  {
    route: 'PUT /me/active-tenant',
    method: 'PUT',
    path: () => '/me/active-tenant',
    body: () => undefined,
    allowed: (c) => c !== 'nonMember' && c !== 'platformAdmin',
  },
  { route: 'POST /me/invites/{inviteId}/accept', method: 'POST', path: () => `/me/invites/${UNKNOWN_ID}/accept`, allowed: () => true },
  {
    route: 'POST /tenants/{id}/files',
    method: 'POST',
    path: (w) => `/tenants/${w.tenantA}/files`,
    body: () => ({ name: 'perm.csv', contentType: 'text/csv', size: 4 }),
    allowed: 'files.create',
  },
  { route: 'GET /tenants/{id}/files', method: 'GET', path: (w) => `/tenants/${w.tenantA}/files`, allowed: 'files.list' },
  {
    route: 'GET /tenants/{id}/files/{fileId}',
    method: 'GET',
    path: (w) => `/tenants/${w.tenantA}/files/${UNKNOWN_ID}`,
    allowed: 'files.read',
  },
  {
    // Deleting another's file is files.deleteAny (admin+), checked inside; the route opens at files.deleteOwn.
    route: 'DELETE /tenants/{id}/files/{fileId}',
    method: 'DELETE',
    path: (w) => `/tenants/${w.tenantA}/files/${UNKNOWN_ID}`,
    allowed: 'files.deleteOwn',
  },
];

const tenantRole = (caller: CallerKind) => ((ROLES as readonly string[]).includes(caller) ? (caller as (typeof ROLES)[number]) : undefined);

const isAllowed = (rule: RouteCase['allowed'], caller: CallerKind): boolean => {
  if (typeof rule === 'function') return rule(caller);
  const role = tenantRole(caller);
  return role !== undefined && ROLES.indexOf(role) >= ROLES.indexOf(PERMISSIONS[rule]);
};

describe('the permission table, route by route and caller by caller', () => {
  let world: World;
  beforeAll(async () => {
    world = await buildWorld();
  }, 120_000);

  const cases = ROUTES.flatMap((r) =>
    CALLERS.map((caller) => ({ ...r, caller, expected: isAllowed(r.allowed, caller) ? 'allowed' : 'forbidden' })),
  );

  it.each(cases)('$route as $caller is $expected', async ({ method, path, body, caller, expected, route }) => {
    // Prepare
    const who = world.callers[caller];
    const payload = route === 'PUT /me/active-tenant' ? { tenantId: world.tenantA } : body?.();

    // Act
    const res = await api(path(world), { method, token: who.accessToken, ...(payload !== undefined ? { body: payload } : {}) });

    // Assess
    if (expected === 'forbidden') {
      expect(res.status, res.text).toBe(403);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    } else {
      expect([401, 403], `${res.status} ${res.text}`).not.toContain(res.status);
      expect(res.status).toBeLessThan(500);
    }
  });

  it.each(CALLERS)('POST /sessions/revoke is allowed to every signed-in caller (%s)', async (caller) => {
    // A separate session, so revoking it leaves the caller's other tokens alone.
    const session = await signIn(world.callers[caller].email);

    const res = await api('/sessions/revoke', { method: 'POST', token: session.accessToken });

    expect(res.status).toBe(204);
  });

  it('answers 401 to every route without a token', async () => {
    for (const r of ROUTES) {
      const res = await api(r.path(world), { method: r.method, ...(r.body ? { body: r.body() ?? {} } : {}) });
      expect(res.status, r.route).toBe(401);
    }
  });
});
