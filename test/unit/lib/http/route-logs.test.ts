import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Principal } from '../../../../src/lib/auth/access-token';
import type { AuthContext } from '../../../../src/lib/auth/auth-context';
import { UnauthorizedError } from '../../../../src/lib/errors';
import { json } from '../../../../src/lib/http/response';
import { type Access, buildRoute, type InputSchemas } from '../../../../src/lib/http/route';
import { CORRELATION_ID_HEADER } from '../../../../src/lib/http/security-headers';
import { logger } from '../../../../src/lib/logger';
import { type EventInput, httpEvent, lambdaContext } from '../../support/api-gateway';
import { captureLogLines, type LogLine } from '../../support/logs';

/**
 * What the shared Middy chain logs and answers so a team can follow one
 * request: the correlation id on every response and every line, the Lambda
 * context and the caller on every line, and nothing left behind for the next
 * request of a warm container. A fake authenticator stands for verified
 * callers, as in route.test.ts.
 */
const OWNER: AuthContext = {
  userId: 'user-owner',
  sessionId: 's1',
  clientId: 'webclient1',
  isPlatformAdmin: false,
  tenant: { tenantId: 'tenant-a', role: 'owner' },
};
const TOKEN = 'token-owner-a';

const fakeAuthenticator = {
  verify: async (token: string): Promise<Principal> => {
    if (token !== TOKEN) throw new UnauthorizedError('JwtParseError: not a token we know');
    return {
      userId: OWNER.userId,
      clientId: OWNER.clientId,
      sessionId: OWNER.sessionId,
      tokenId: 'j',
      expiresAt: 2_000_000_000,
      issuedAt: 1_999_999_000,
      groups: [],
      claimedTenant: undefined,
    };
  },
  resolve: async (): Promise<AuthContext> => OWNER,
};

const route = (access: Access, schemas: InputSchemas = {}, core = async () => json(200, { done: true })) =>
  buildRoute(access, schemas, fakeAuthenticator, core);

/** An event as API Gateway hands it, with its own request id. */
const requestEvent = (requestId: string, input: EventInput = {}, token: string | null = null): APIGatewayProxyEventV2 => {
  const event = httpEvent({ ...input, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...input.headers } });
  return { ...event, requestContext: { ...event.requestContext, requestId } };
};

/** A read of a tenant: the owner's token unless told otherwise (`null`: no token). */
const tenantRead = (requestId: string, token: string | null = TOKEN, tenantId = 'tenant-a') =>
  requestEvent(requestId, { path: `/tenants/${tenantId}`, pathParameters: { tenantId } }, token);

const linesOf = (lines: LogLine[], correlationId: string) => lines.filter((line) => line.correlation_id === correlationId);

let capture: ReturnType<typeof captureLogLines>;
beforeEach(() => {
  capture = captureLogLines();
});
afterEach(() => capture.stop());

describe('the correlation id header', () => {
  const tenantRoute = route({ kind: 'tenant', action: 'tenant.read' }, { body: z.strictObject({ name: z.string() }) });
  const failing = route({ kind: 'signedIn' }, {}, async () => {
    throw new Error('a fault');
  });

  it.each([
    ['a success', () => route({ kind: 'public' }), requestEvent('req-200'), 200],
    ['a request without a token (401)', () => tenantRoute, tenantRead('req-401', null), 401],
    ["another tenant's path (403)", () => tenantRoute, tenantRead('req-403', TOKEN, 'tenant-b'), 403],
    [
      'invalid input (400)',
      () => tenantRoute,
      requestEvent(
        'req-400',
        {
          method: 'PATCH',
          path: '/tenants/tenant-a',
          pathParameters: { tenantId: 'tenant-a' },
          headers: { 'content-type': 'application/json' },
          body: '{"nom":1}',
        },
        TOKEN,
      ),
      400,
    ],
    ['a fault (500)', () => failing, requestEvent('req-500', {}, TOKEN), 500],
  ])('answers %s with the API Gateway request id as x-correlation-id', async (_case, handlerOf, event, status) => {
    // Act
    const res = await handlerOf()(event, lambdaContext());

    // Assess
    expect(res.statusCode).toBe(status);
    expect(res.headers?.[CORRELATION_ID_HEADER]).toBe(event.requestContext.requestId);
  });

  it.each([
    ['an event without a request id', undefined],
    ["serverless-offline's placeholder, the same for every request", 'offlineContext_resourceId'],
  ])('falls back to the Lambda request id for %s', async (_case, requestId) => {
    // Prepare
    const event = httpEvent();
    const { requestId: _given, ...requestContext } = event.requestContext;

    // Act
    const res = await route({ kind: 'public' })(
      { ...event, requestContext: { ...requestContext, requestId } } as APIGatewayProxyEventV2,
      lambdaContext(),
    );

    // Assess
    expect(res.headers?.[CORRELATION_ID_HEADER]).toBe(lambdaContext().awsRequestId);
  });
});

describe("a request's log lines", () => {
  it('carry the Lambda context, the correlation id and the caller, and end with one line for the answer', async () => {
    // Prepare
    const handler = route({ kind: 'tenant', action: 'tenant.read' }, {}, async () => {
      logger.info('core ran');
      return json(200, {});
    });

    // Act
    await handler(tenantRead('req-1'), lambdaContext());

    // Assess
    const context = lambdaContext();
    const who = { correlation_id: 'req-1', userId: OWNER.userId, tenantId: 'tenant-a' };
    const lambda = { function_name: context.functionName, function_request_id: context.awsRequestId, cold_start: expect.any(Boolean) };
    expect(capture.lines).toEqual([
      expect.objectContaining({ message: 'core ran', ...who, ...lambda }),
      expect.objectContaining({
        message: 'Request answered',
        route: 'GET /tenants/tenant-a',
        status: 200,
        durationMs: expect.any(Number),
        ...who,
        ...lambda,
      }),
    ]);
  });

  it('name the caller on a refusal after the token check', async () => {
    // Act
    await route({ kind: 'tenant', action: 'tenant.read' })(tenantRead('req-403', TOKEN, 'tenant-b'), lambdaContext());

    // Assess
    expect(capture.lines).toEqual([
      expect.objectContaining({
        message: 'Request answered',
        status: 403,
        correlation_id: 'req-403',
        userId: OWNER.userId,
        tenantId: 'tenant-a',
      }),
    ]);
  });

  it("name no caller when the token is refused, and keep the verifier's reason", async () => {
    // Act
    await route({ kind: 'signedIn' })(requestEvent('req-401', {}, 'forged'), lambdaContext());

    // Assess
    expect(capture.lines).toEqual([
      expect.objectContaining({ message: 'Token refused', reason: expect.stringContaining('JwtParseError'), correlation_id: 'req-401' }),
      expect.objectContaining({ message: 'Request answered', status: 401, correlation_id: 'req-401' }),
    ]);
    for (const line of capture.lines) expect(line).not.toHaveProperty('userId');
  });

  it('hold neither the token, the body nor the query, even with POWERTOOLS_LOGGER_LOG_EVENT on', async () => {
    // Prepare: what the environment variable turns on, set on the logger that already read it
    const events = logger as unknown as { logEvent: boolean };
    events.logEvent = true;
    const handler = route({ kind: 'signedIn' }, { body: z.strictObject({ password: z.string() }) });
    const event = requestEvent(
      'req-secret',
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"password":"hunter2-hunter2"}',
        queryStringParameters: { cursor: 'c-secret' },
      },
      TOKEN,
    );

    // Act
    try {
      await handler(event, lambdaContext());
    } finally {
      events.logEvent = false;
    }

    // Assess
    const logged = JSON.stringify(capture.lines);
    expect(capture.lines.length).toBeGreaterThan(0);
    for (const secret of [TOKEN, 'hunter2-hunter2', 'c-secret']) expect(logged).not.toContain(secret);
  });
});

describe('a warm container', () => {
  it.each([
    ['answered', async () => json(200, {})],
    [
      'failed',
      async () => {
        throw new Error('a fault');
      },
    ],
  ])("never logs a request's keys on the next request's lines, after one that %s", async (_case, core) => {
    // Prepare: a signed-in request, then one without a token in the same container
    const handler = route({ kind: 'tenant', action: 'tenant.read' }, {}, core);
    await handler(tenantRead('req-first'), lambdaContext());

    // Act
    await handler(tenantRead('req-next', null), lambdaContext());

    // Assess
    const next = linesOf(capture.lines, 'req-next');
    expect(next.map((line) => line.message)).toEqual(['Token refused', 'Request answered']);
    for (const line of next) {
      expect(line).not.toHaveProperty('userId');
      expect(line).not.toHaveProperty('tenantId');
    }
    expect(capture.lines.filter((line) => line.correlation_id === undefined)).toEqual([]);
    expect(logger.getCorrelationId()).toBeUndefined();
  });
});
