import { beforeAll, describe, expect, it } from 'vitest';
import { revokedSessionKey, tenantDirectory } from '../../../src/lib/db/keys';
import { prefixQuery, queryAll } from '../../../src/lib/db/queries';
import { apiRoutes } from '../../../src/lib/http/api-routes';
import { api } from '../support/api';
import { signIn } from '../support/cognito';
import { tenantSnapshot, userItems } from '../support/data';
import { stack, uniqueEmail } from '../support/stack';
import { buildWorld, type Caller, type World } from '../support/world';

type BodyRoute = {
  route: string;
  /** The route's entry in the registry (src/lib/http/api-routes.ts), which declares its body schema. */
  operationId: string;
  method: string;
  path: (w: World) => string;
  caller: (w: World, revoker: Caller) => Caller;
  /** A body the route would accept; each case spoils one part of it. */
  valid: (w: World, revoker: Caller) => Record<string, unknown>;
  /** Every string field of the body schema. */
  strings: string[];
};

/** Every route that takes a body. */
const ROUTES: BodyRoute[] = [
  {
    route: 'POST /tenants',
    operationId: 'createTenant',
    method: 'POST',
    path: () => '/tenants',
    caller: (w) => w.callers.platformAdmin,
    valid: () => ({ name: 'Hostile Input Co', ownerEmail: uniqueEmail('hostile-owner') }),
    strings: ['name', 'ownerEmail'],
  },
  {
    route: 'PATCH /tenants/{tenantId}',
    operationId: 'updateTenant',
    method: 'PATCH',
    path: (w) => `/tenants/${w.tenantA}`,
    caller: (w) => w.callers.owner,
    valid: () => ({ name: 'Renamed by a hostile body' }),
    strings: ['name'],
  },
  {
    route: 'PATCH /tenants/{tenantId}/members/{userId}',
    operationId: 'updateMemberRole',
    method: 'PATCH',
    path: (w) => `/tenants/${w.tenantA}/members/${w.callers.viewer.userId}`,
    caller: (w) => w.callers.owner,
    valid: () => ({ role: 'member' }),
    strings: ['role'],
  },
  {
    route: 'POST /tenants/{tenantId}/invites',
    operationId: 'createInvite',
    method: 'POST',
    path: (w) => `/tenants/${w.tenantA}/invites`,
    caller: (w) => w.callers.owner,
    valid: () => ({ email: uniqueEmail('hostile-invite'), role: 'viewer' }),
    strings: ['email', 'role'],
  },
  {
    route: 'POST /tenants/{tenantId}/files',
    operationId: 'createFile',
    method: 'POST',
    path: (w) => `/tenants/${w.tenantA}/files`,
    caller: (w) => w.callers.owner,
    valid: () => ({ name: 'report.csv', contentType: 'text/csv', size: 4 }),
    strings: ['name', 'contentType'],
  },
  {
    route: 'POST /tenants/{tenantId}/domains',
    operationId: 'addDomain',
    method: 'POST',
    path: (w) => `/tenants/${w.tenantA}/domains`,
    caller: (w) => w.callers.owner,
    valid: () => ({ domain: 'hostile-input.example.test' }),
    strings: ['domain'],
  },
  {
    route: 'PUT /tenants/{tenantId}/sso',
    operationId: 'putSso',
    method: 'PUT',
    path: (w) => `/tenants/${w.tenantA}/sso`,
    caller: (w) => w.callers.owner,
    valid: () => ({
      type: 'oidc',
      issuer: stack.oidcIdp.issuer,
      clientId: 'hostile-input-client',
      clientSecret: 'hostile-input-secret',
      defaultRole: 'member',
      enforce: false,
    }),
    strings: ['issuer', 'clientId', 'clientSecret', 'defaultRole'],
  },
  {
    route: 'POST /sso/discover',
    operationId: 'discoverSso',
    method: 'POST',
    path: () => '/sso/discover',
    caller: (w) => w.callers.viewer,
    valid: () => ({ email: 'someone@hostile-input.example.test' }),
    strings: ['email'],
  },
  {
    route: 'PUT /me/storage-identity',
    operationId: 'registerStorageIdentity',
    method: 'PUT',
    path: () => '/me/storage-identity',
    caller: (w) => w.callers.member,
    valid: (w) => ({ idToken: w.callers.member.idToken }),
    strings: ['idToken'],
  },
  {
    route: 'PUT /me/active-tenant',
    operationId: 'setActiveTenant',
    method: 'PUT',
    path: () => '/me/active-tenant',
    caller: (w) => w.callers.member,
    valid: (w) => ({ tenantId: w.tenantA }),
    strings: ['tenantId'],
  },
  {
    // Its own session of the owner: a revocation let through by mistake must not sign the world out.
    route: 'POST /sessions/revoke',
    operationId: 'revokeSession',
    method: 'POST',
    path: () => '/sessions/revoke',
    caller: (_w, revoker) => revoker,
    valid: (_w, revoker) => ({ refreshToken: revoker.refreshToken }),
    strings: ['refreshToken'],
  },
];

const LONE_SURROGATES = [
  { label: 'a lone high surrogate', unit: '\ud800' },
  { label: 'a lone low surrogate', unit: '\udc00' },
  { label: 'a reversed pair', unit: '\ude00\ud83d' },
];

const OBJECT_ONLY = 'The request body must be a JSON object.';
const NON_OBJECT_BODIES = [
  { raw: 'false', detail: OBJECT_ONLY },
  { raw: 'null', detail: OBJECT_ONLY },
  { raw: '42', detail: OBJECT_ONLY },
  { raw: '[]', detail: OBJECT_ONLY },
  { raw: '"x"', detail: OBJECT_ONLY },
];

/** The routes whose registry entry declares a body schema, so a new one cannot be left out of ROUTES. */
const routesWithBody = (): string[] =>
  apiRoutes()
    .filter((r) => r.input.body !== undefined)
    .map((r) => r.operationId)
    .sort();

/** JSON.stringify writes a lone surrogate as a `\uXXXX` escape, so the wire carries it intact (as UTF-8 it could not). */
const rawJson = (body: Record<string, unknown>): string => {
  const raw = JSON.stringify(body);
  expect(raw).toMatch(/\\ud[89a-f][0-9a-f]{2}/);
  return raw;
};

const withSurrogate = (value: string, unit: string): string => `${value.slice(0, 1)}${unit}${value.slice(1)}`;

describe('hostile strings and bodies: 400 problem+json, nothing written', () => {
  let world: World;
  let revoker: Caller;

  beforeAll(async () => {
    world = await buildWorld();
    revoker = { ...world.callers.owner, ...(await signIn(world.callers.owner.email)) };
  }, 180_000);

  /** Everything a route with a body could write: tenant A, the callers' user items and revocations, the tenant directory. */
  const writtenState = async () => {
    const { owner, viewer, member } = world.callers;
    return JSON.stringify([
      await tenantSnapshot(world.tenantA),
      ...(await Promise.all([owner, viewer, member].map((c) => userItems(c.userId)))),
      await queryAll(prefixQuery(revokedSessionKey(owner.userId, ''))),
      await queryAll(prefixQuery(tenantDirectory())),
    ]);
  };

  const send = (r: BodyRoute, raw: string) =>
    api(r.path(world), { method: r.method, token: r.caller(world, revoker).accessToken, body: raw });

  const expectProblem = (res: Awaited<ReturnType<typeof api>>) => {
    expect(res.status, res.text).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  };

  it('covers every route that declares a body schema', () => {
    expect(ROUTES.map((r) => r.operationId).sort()).toEqual(routesWithBody());
  });

  const stringFieldCases = ROUTES.flatMap((r) => r.strings.flatMap((field) => LONE_SURROGATES.map((s) => ({ ...r, field, ...s }))));

  it.each(stringFieldCases)('$route refuses $label in $field', async (r) => {
    // Prepare
    const valid = r.valid(world, revoker);
    const value = valid[r.field];
    if (typeof value !== 'string') throw new Error(`${r.route}: the valid body has no string \`${r.field}\``);
    const raw = rawJson({ ...valid, [r.field]: withSurrogate(value, r.unit) });
    const before = await writtenState();

    // Act
    const res = await send(r, raw);

    // Assess
    expectProblem(res);
    expect(res.body).toMatchObject({ status: 400, detail: expect.stringMatching(/well-formed Unicode/) });
    expect((res.body as { errors: unknown }).errors).toEqual([{ path: r.field, message: expect.stringMatching(/lone UTF-16 surrogate/) }]);
    expect(await writtenState()).toBe(before);
  });

  it.each(ROUTES)('$route refuses a lone surrogate in a field name', async (r) => {
    // Prepare
    const raw = rawJson({ ...r.valid(world, revoker), 'note\ud800': 'x' });
    const before = await writtenState();

    // Act
    const res = await send(r, raw);

    // Assess
    expectProblem(res);
    expect((res.body as { errors: unknown }).errors).toEqual([
      { path: 'note\ufffd', message: expect.stringMatching(/field name .*lone UTF-16 surrogate/) },
    ]);
    expect(await writtenState()).toBe(before);
  });

  it.each(ROUTES.flatMap((r) => NON_OBJECT_BODIES.map((b) => ({ ...r, ...b }))))('$route refuses the body $raw', async (r) => {
    // Prepare
    const before = await writtenState();

    // Act
    const res = await send(r, r.raw);

    // Assess
    expectProblem(res);
    expect(res.body).toMatchObject({ status: 400, detail: r.detail });
    expect(await writtenState()).toBe(before);
  });
});
