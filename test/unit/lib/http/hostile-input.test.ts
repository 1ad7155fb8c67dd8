import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import type { Principal } from '../../../../src/lib/auth/access-token';
import type { AuthContext } from '../../../../src/lib/auth/auth-context';
import { json } from '../../../../src/lib/http/response';
import { buildRoute, type InputSchemas, type RouteContext } from '../../../../src/lib/http/route';
import { pathId, tenantPath } from '../../../../src/lib/http/schemas';
import { listQuerySchema } from '../../../../src/lib/pagination/list-query';
import { updateTenantRoute } from '../../../../src/lib/tenants/tenants-api';
import { type EventInput, httpEvent, lambdaContext } from '../../support/api-gateway';

/**
 * Hostile strings and bodies through the shared Middy chain, with the route
 * schemas the handlers use: every one is a 400 problem+json and the core never
 * runs. The token check is faked (one owner of tenant-a); it is tested with
 * real tokens in test/unit/lib/auth/verifier.test.ts.
 */
/** The rename body, as PATCH /tenants/{tenantId} declares it. */
const renameBody = updateTenantRoute.input.body;

const OWNER: AuthContext = {
  userId: 'user-owner',
  sessionId: 's1',
  clientId: 'webclient1',
  isPlatformAdmin: false,
  tenant: { tenantId: 'tenant-a', role: 'owner' },
};

const OWNER_PRINCIPAL = {
  userId: OWNER.userId,
  clientId: OWNER.clientId,
  sessionId: OWNER.sessionId,
  tokenId: 'j',
  issuedAt: 1_999_999_000,
  expiresAt: 2_000_000_000,
  groups: [],
  claimedTenant: undefined,
};

const ownerAuthenticator = {
  verify: async (): Promise<Principal> => OWNER_PRINCIPAL,
  resolve: async (): Promise<AuthContext> => OWNER,
};

const route = (schemas: InputSchemas) => {
  const core = vi.fn(async (_ctx: RouteContext) => json(200, { done: true }));
  return { handler: buildRoute({ kind: 'tenant', action: 'tenant.update' }, schemas, ownerAuthenticator, core), core };
};

const call = async (handler: ReturnType<typeof route>['handler'], event: APIGatewayProxyEventV2) => {
  const result = await handler(event, lambdaContext());
  return { ...result, json: JSON.parse(result.body ?? 'null') as Record<string, unknown> };
};

const ownerEvent = (input: EventInput = {}) =>
  httpEvent({
    path: '/tenants/tenant-a',
    ...input,
    headers: { authorization: 'Bearer owner-token', ...input.headers },
    pathParameters: { tenantId: 'tenant-a', ...input.pathParameters },
  });

/** What serverless-offline builds for a JSON body it has already parsed to a falsy value: the value itself, not its text. */
const locallyParsedBody = (value: unknown, sentText: string): APIGatewayProxyEventV2 => ({
  ...ownerEvent({ method: 'PATCH', headers: { 'content-type': 'application/json', 'content-length': String(sentText.length) } }),
  body: value as string,
});

const ILL_FORMED = [
  ['a lone high surrogate', 'Acme \ud800 Corp'],
  ['a lone high surrogate at the end', 'Acme \ud83d'],
  ['a lone low surrogate', '\udc00Acme'],
  ['a reversed pair', 'Acme \ude00\ud83d'],
] as const;

describe('hostile input through the shared route chain', () => {
  describe('lone surrogates', () => {
    it.each(ILL_FORMED)('refuses %s in a query value with 400 naming the parameter', async (_label, value) => {
      // Prepare
      const { handler, core } = route({ path: tenantPath, query: listQuerySchema });

      // Act
      const res = await call(handler, ownerEvent({ queryStringParameters: { cursor: value } }));

      // Assess
      expect(res.statusCode).toBe(400);
      expect(res.headers).toMatchObject({ 'content-type': 'application/problem+json' });
      expect(res.json).toMatchObject({ status: 400, detail: expect.stringMatching(/query .*well-formed Unicode/) });
      expect(res.json.errors).toEqual([{ path: 'cursor', message: expect.stringMatching(/lone UTF-16 surrogate/) }]);
      expect(core).not.toHaveBeenCalled();
    });

    it.each(ILL_FORMED)('refuses %s in a path parameter with 400 naming it', async (_label, value) => {
      // Prepare
      const { handler, core } = route({ path: z.object({ tenantId: pathId, fileId: pathId }) });

      // Act
      const res = await call(handler, ownerEvent({ pathParameters: { tenantId: 'tenant-a', fileId: value } }));

      // Assess
      expect(res.statusCode).toBe(400);
      expect(res.json).toMatchObject({ detail: expect.stringMatching(/path .*well-formed Unicode/) });
      expect(res.json.errors).toEqual([{ path: 'fileId', message: expect.stringMatching(/lone UTF-16 surrogate/) }]);
      expect(core).not.toHaveBeenCalled();
    });

    it.each(ILL_FORMED)('refuses %s in a body value the schema would accept, with 400 naming the field', async (_label, value) => {
      // Prepare: the tenant name schema alone lets a lone surrogate through.
      const { handler, core } = route({ path: tenantPath, body: renameBody });
      const body = JSON.stringify({ name: value });

      // Act
      const res = await call(handler, ownerEvent({ method: 'PATCH', headers: { 'content-type': 'application/json' }, body }));

      // Assess
      expect(renameBody.safeParse({ name: value }).success).toBe(true);
      expect(res.statusCode).toBe(400);
      expect(res.json).toMatchObject({ detail: expect.stringMatching(/request body .*well-formed Unicode/) });
      expect(res.json.errors).toEqual([{ path: 'name', message: expect.stringMatching(/lone UTF-16 surrogate/) }]);
      expect(core).not.toHaveBeenCalled();
    });

    it('refuses a lone surrogate in a body field name with 400, before the unknown-field check', async () => {
      // Prepare
      const { handler, core } = route({ path: tenantPath, body: renameBody });

      // Act
      const res = await call(
        handler,
        ownerEvent({ method: 'PATCH', headers: { 'content-type': 'application/json' }, body: '{"name":"Acme","x\\ud800":1}' }),
      );

      // Assess
      expect(res.statusCode).toBe(400);
      expect(res.json.errors).toEqual([{ path: 'x\ufffd', message: expect.stringMatching(/field name .*lone UTF-16 surrogate/) }]);
      expect(core).not.toHaveBeenCalled();
    });

    it('accepts a well-formed astral character (a surrogate pair) everywhere', async () => {
      // Prepare
      const { handler, core } = route({ path: z.object({ tenantId: pathId, fileId: pathId }), query: listQuerySchema, body: renameBody });

      // Act
      const res = await call(
        handler,
        ownerEvent({
          method: 'PATCH',
          headers: { 'content-type': 'application/json' },
          pathParameters: { tenantId: 'tenant-a', fileId: 'file-😀' },
          queryStringParameters: { cursor: 'c-😀' },
          body: JSON.stringify({ name: 'Acme 😀 \ud83d\ude00' }),
        }),
      );

      // Assess
      expect(res.statusCode).toBe(200);
      expect(core.mock.calls[0]?.[0].input).toMatchObject({
        body: { name: 'Acme 😀 😀' },
        query: { cursor: 'c-😀' },
        path: { fileId: 'file-😀' },
      });
    });
  });

  describe('bodies that are not a JSON object', () => {
    it.each(['false', 'null', '42', '"x"', '[]', 'true'])('refuses the JSON body %s with 400', async (text) => {
      // Prepare
      const { handler, core } = route({ path: tenantPath, body: renameBody });

      // Act
      const res = await call(handler, ownerEvent({ method: 'PATCH', headers: { 'content-type': 'application/json' }, body: text }));

      // Assess
      expect(res.statusCode).toBe(400);
      expect(res.json).toMatchObject({ status: 400, detail: 'The request body must be a JSON object.' });
      expect(core).not.toHaveBeenCalled();
    });

    it.each([
      [false, 'false'],
      [0, '0'],
      [null, 'null'],
    ])('refuses a body the local HTTP layer handed over already parsed (%j) with 400, not 500', async (value, sentText) => {
      // Prepare
      const { handler, core } = route({ path: tenantPath, body: renameBody });

      // Act
      const res = await call(handler, locallyParsedBody(value, sentText));

      // Assess
      expect(res.statusCode).toBe(400);
      expect(res.json).toMatchObject({ status: 400, detail: 'The request body must be a JSON object.' });
      expect(core).not.toHaveBeenCalled();
    });

    it('ignores the body of a route that takes none', async () => {
      // Prepare
      const { handler, core } = route({ path: tenantPath });

      // Act
      const res = await call(handler, locallyParsedBody(false, 'false'));

      // Assess
      expect(res.statusCode).toBe(200);
      expect(core).toHaveBeenCalledOnce();
    });
  });
});
