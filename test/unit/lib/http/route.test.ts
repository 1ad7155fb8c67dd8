import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import type { Principal } from '../../../../src/lib/auth/access-token';
import type { AuthContext } from '../../../../src/lib/auth/auth-context';
import { UnauthorizedError } from '../../../../src/lib/errors';
import { json } from '../../../../src/lib/http/response';
import { type Access, buildRoute, type InputSchemas, type RouteContext } from '../../../../src/lib/http/route';
import { SECURITY_HEADERS } from '../../../../src/lib/http/security-headers';
import { type EventInput, httpEvent, lambdaContext } from '../../support/api-gateway';
import { TEST_ALLOWED_ORIGIN } from '../../support/test-env';

/**
 * The shared Middy chain with a fake authenticator: each known token stands
 * for an already verified caller; the token check itself is tested with real
 * tokens in test/unit/lib/auth/verifier.test.ts.
 */
const callers: Record<string, AuthContext> = {
  'token-owner-a': {
    userId: 'user-owner',
    sessionId: 's1',
    clientId: 'webclient1',
    isPlatformAdmin: false,
    tenant: { tenantId: 'tenant-a', role: 'owner' },
  },
  'token-viewer-a': {
    userId: 'user-viewer',
    sessionId: 's2',
    clientId: 'webclient1',
    isPlatformAdmin: false,
    tenant: { tenantId: 'tenant-a', role: 'viewer' },
  },
  'token-removed': { userId: 'user-removed', sessionId: 's3', clientId: 'webclient1', isPlatformAdmin: false, tenant: undefined },
  'token-operator': { userId: 'user-operator', sessionId: 's4', clientId: 'webclient1', isPlatformAdmin: true, tenant: undefined },
};

const fakeAuthenticator = {
  verify: async (token: string): Promise<Principal> => {
    if (!(token in callers)) throw new UnauthorizedError();
    return {
      userId: token,
      clientId: 'webclient1',
      sessionId: 's',
      tokenId: 'j',
      expiresAt: 2_000_000_000,
      issuedAt: 1_999_999_000,
      groups: [],
      claimedTenant: undefined,
    };
  },
  resolve: async (principal: Principal): Promise<AuthContext> => {
    const auth = callers[principal.userId];
    if (!auth) throw new UnauthorizedError();
    return auth;
  },
};

const route = (access: Access, schemas: InputSchemas = {}, core = vi.fn(async (_ctx: RouteContext) => json(200, { done: true }))) => ({
  handler: buildRoute(access, schemas, fakeAuthenticator, core),
  core,
});

const call = async (handler: ReturnType<typeof route>['handler'], event: APIGatewayProxyEventV2) => {
  const result = await handler(event, lambdaContext());
  return { ...result, json: JSON.parse(result.body ?? 'null') as Record<string, unknown> };
};

const withToken = (token: string, input: EventInput = {}) =>
  httpEvent({ ...input, headers: { authorization: `Bearer ${token}`, ...input.headers } });

const tenantEvent = (token: string, tenantId: string, input: EventInput = {}) =>
  withToken(token, { path: `/tenants/${tenantId}`, pathParameters: { tenantId }, ...input });

describe('buildRoute', () => {
  describe('public route', () => {
    it('answers without a token, with the security headers', async () => {
      // Prepare
      const { handler, core } = route({ kind: 'public' });

      // Act
      const res = await call(handler, httpEvent({ path: '/health' }));

      // Assess
      expect(res.statusCode).toBe(200);
      expect(res.headers).toMatchObject({ 'content-type': 'application/json', ...SECURITY_HEADERS });
      expect(core).toHaveBeenCalledOnce();
    });
  });

  describe('signed-in route', () => {
    it('refuses a request without a token: 401 problem+json with WWW-Authenticate and the security headers', async () => {
      // Prepare
      const { handler, core } = route({ kind: 'signedIn' });

      // Act
      const res = await call(handler, httpEvent({ path: '/me' }));

      // Assess
      expect(res.statusCode).toBe(401);
      expect(res.headers).toMatchObject({
        'content-type': 'application/problem+json',
        'www-authenticate': 'Bearer error="invalid_token"',
        ...SECURITY_HEADERS,
      });
      expect(res.json).toMatchObject({ status: 401, title: 'Unauthorized' });
      expect(core).not.toHaveBeenCalled();
    });

    it('refuses a token the verifier refuses', async () => {
      // Prepare
      const { handler, core } = route({ kind: 'signedIn' });

      // Act
      const res = await call(handler, withToken('forged-token'));

      // Assess
      expect(res.statusCode).toBe(401);
      expect(core).not.toHaveBeenCalled();
    });

    it('never trusts the authorizer context or the serverless-offline override header', async () => {
      // Prepare
      const { handler, core } = route({ kind: 'signedIn' });
      const event = httpEvent({
        headers: { 'sls-offline-authorizer-override': JSON.stringify({ jwt: { claims: { sub: 'user-owner' } } }) },
      });
      const forgedContext = { ...event.requestContext, authorizer: { jwt: { claims: { sub: 'user-owner' }, scopes: [] } } };

      // Act
      const res = await call(handler, { ...event, requestContext: forgedContext });

      // Assess
      expect(res.statusCode).toBe(401);
      expect(core).not.toHaveBeenCalled();
    });

    it('hands the auth context to the core', async () => {
      // Prepare
      const { handler, core } = route({ kind: 'signedIn' });

      // Act
      const res = await call(handler, withToken('token-removed'));

      // Assess
      expect(res.statusCode).toBe(200);
      expect(core.mock.calls[0]?.[0].auth).toEqual(callers['token-removed']);
    });

    it('checks the token before the input: no token and a bad body is a 401', async () => {
      // Prepare
      const { handler } = route({ kind: 'signedIn' }, { body: z.strictObject({ name: z.string() }) });

      // Act
      const res = await call(handler, httpEvent({ method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' }));

      // Assess
      expect(res.statusCode).toBe(401);
    });
  });

  describe('tenant route', () => {
    it("lets a member reach their tenant, with the tenant context from the verified claim and today's role", async () => {
      // Prepare
      const { handler, core } = route({ kind: 'tenant', action: 'tenant.update' });

      // Act
      const res = await call(handler, tenantEvent('token-owner-a', 'tenant-a'));

      // Assess
      expect(res.statusCode).toBe(200);
      expect(core.mock.calls[0]?.[0].auth?.tenant).toEqual({ tenantId: 'tenant-a', role: 'owner' });
    });

    it("refuses another tenant's path id with 403", async () => {
      // Prepare
      const { handler, core } = route({ kind: 'tenant', action: 'tenant.read' });

      // Act
      const res = await call(handler, tenantEvent('token-owner-a', 'tenant-b'));

      // Assess
      expect(res.statusCode).toBe(403);
      expect(res.headers).toMatchObject({ 'content-type': 'application/problem+json', ...SECURITY_HEADERS });
      expect(res.headers).not.toHaveProperty('www-authenticate');
      expect(core).not.toHaveBeenCalled();
    });

    it('refuses a request without a tenant path id with 403', async () => {
      // Prepare
      const { handler, core } = route({ kind: 'tenant', action: 'tenant.read' });

      // Act
      const res = await call(handler, withToken('token-owner-a'));

      // Assess
      expect(res.statusCode).toBe(403);
      expect(core).not.toHaveBeenCalled();
    });

    it('refuses a caller whose membership is gone with 403', async () => {
      // Prepare
      const { handler, core } = route({ kind: 'tenant', action: 'tenant.read' });

      // Act
      const res = await call(handler, tenantEvent('token-removed', 'tenant-a'));

      // Assess
      expect(res.statusCode).toBe(403);
      expect(core).not.toHaveBeenCalled();
    });

    it('refuses a role below the action minimum with 403', async () => {
      // Prepare
      const { handler, core } = route({ kind: 'tenant', action: 'tenant.update' });

      // Act
      const res = await call(handler, tenantEvent('token-viewer-a', 'tenant-a'));

      // Assess
      expect(res.statusCode).toBe(403);
      expect(res.json).toMatchObject({ status: 403, detail: 'Your role does not allow this action.' });
      expect(core).not.toHaveBeenCalled();
    });

    it('lets a viewer read', async () => {
      // Prepare
      const { handler } = route({ kind: 'tenant', action: 'tenant.read' });

      // Act
      const res = await call(handler, tenantEvent('token-viewer-a', 'tenant-a'));

      // Assess
      expect(res.statusCode).toBe(200);
    });
  });

  describe('platform-admin route', () => {
    it('refuses a signed-in caller outside the platform-admin group with 403', async () => {
      // Prepare
      const { handler, core } = route({ kind: 'platformAdmin' });

      // Act
      const res = await call(handler, withToken('token-owner-a', { method: 'POST', path: '/tenants' }));

      // Assess
      expect(res.statusCode).toBe(403);
      expect(core).not.toHaveBeenCalled();
    });

    it('lets a platform admin in', async () => {
      // Prepare
      const { handler } = route({ kind: 'platformAdmin' });

      // Act
      const res = await call(handler, withToken('token-operator', { method: 'POST', path: '/tenants' }));

      // Assess
      expect(res.statusCode).toBe(200);
    });
  });

  describe('input', () => {
    const schemas = { body: z.strictObject({ name: z.string().min(1) }) };
    const post = (body: string, contentType = 'application/json') =>
      tenantEvent('token-owner-a', 'tenant-a', { method: 'PATCH', headers: { 'content-type': contentType }, body });

    it('hands the parsed body to the core', async () => {
      // Prepare
      const { handler, core } = route({ kind: 'tenant', action: 'tenant.update' }, schemas);

      // Act
      const res = await call(handler, post('{"name":"Acme"}'));

      // Assess
      expect(res.statusCode).toBe(200);
      expect(core.mock.calls[0]?.[0].input).toMatchObject({ body: { name: 'Acme' }, client: { ip: '203.0.113.7' } });
    });

    it('refuses an unknown body field with 400 and errors [{ path, message }]', async () => {
      // Prepare
      const { handler, core } = route({ kind: 'tenant', action: 'tenant.update' }, schemas);

      // Act
      const res = await call(handler, post('{"name":"Acme","tenantId":"tenant-b"}'));

      // Assess
      expect(res.statusCode).toBe(400);
      expect(res.headers).toMatchObject({ 'content-type': 'application/problem+json', ...SECURITY_HEADERS });
      expect(res.json.errors).toEqual([{ path: '(root)', message: 'unknown field: tenantId' }]);
      expect(core).not.toHaveBeenCalled();
    });

    it('refuses an invalid field with 400 naming the field', async () => {
      // Prepare
      const { handler } = route({ kind: 'tenant', action: 'tenant.update' }, schemas);

      // Act
      const res = await call(handler, post('{"name":""}'));

      // Assess
      expect(res.statusCode).toBe(400);
      expect(res.json.errors).toEqual([{ path: 'name', message: expect.any(String) }]);
    });

    it('refuses a body that is not application/json with 400', async () => {
      // Prepare
      const { handler } = route({ kind: 'tenant', action: 'tenant.update' }, schemas);

      // Act
      const res = await call(handler, post('name=Acme', 'application/x-www-form-urlencoded'));

      // Assess
      expect(res.statusCode).toBe(400);
    });

    it('validates the query and the path parameters with their schemas', async () => {
      // Prepare
      const { handler } = route(
        { kind: 'tenant', action: 'files.list' },
        { query: z.strictObject({ limit: z.coerce.number().int().min(1).max(100).optional() }) },
      );

      // Act
      const res = await call(handler, tenantEvent('token-owner-a', 'tenant-a', { queryStringParameters: { limit: '1000' } }));

      // Assess
      expect(res.statusCode).toBe(400);
      expect(res.json.errors).toEqual([{ path: 'limit', message: expect.any(String) }]);
    });
  });

  describe('faults', () => {
    it('answers a plain Error from the core with a 500 that leaks nothing, with the security headers', async () => {
      // Prepare
      const core = vi.fn(async (): Promise<never> => {
        throw new Error('ValidationException: One or more parameter values were invalid: table tenantgate-prod');
      });
      const { handler } = route({ kind: 'signedIn' }, {}, core);

      // Act
      const res = await call(handler, withToken('token-owner-a'));

      // Assess
      expect(res.statusCode).toBe(500);
      expect(res.headers).toMatchObject({ 'content-type': 'application/problem+json', ...SECURITY_HEADERS });
      expect(res.body).not.toMatch(/ValidationException|tenantgate-prod|at /);
    });
  });

  describe('CORS', () => {
    it('echoes an allowed origin', async () => {
      // Prepare
      const { handler } = route({ kind: 'public' });

      // Act
      const res = await call(handler, httpEvent({ headers: { origin: TEST_ALLOWED_ORIGIN } }));

      // Assess
      expect(res.headers).toMatchObject({
        'access-control-allow-origin': TEST_ALLOWED_ORIGIN,
        'access-control-expose-headers': 'www-authenticate, x-correlation-id',
        vary: 'origin',
      });
    });

    it('echoes an allowed origin on an error response too', async () => {
      // Prepare
      const { handler } = route({ kind: 'signedIn' });

      // Act
      const res = await call(handler, httpEvent({ headers: { origin: TEST_ALLOWED_ORIGIN } }));

      // Assess
      expect(res.statusCode).toBe(401);
      expect(res.headers).toMatchObject({ 'access-control-allow-origin': TEST_ALLOWED_ORIGIN });
    });

    it.each(['https://attacker.test', `${TEST_ALLOWED_ORIGIN}.attacker.test`, 'null'])(
      'sends no CORS grant to the origin %s',
      async (origin) => {
        // Prepare
        const { handler } = route({ kind: 'public' });

        // Act
        const res = await call(handler, httpEvent({ headers: { origin } }));

        // Assess
        expect(res.headers).not.toHaveProperty('access-control-allow-origin');
        expect(res.headers).toMatchObject({ vary: 'origin' });
      },
    );
  });
});
