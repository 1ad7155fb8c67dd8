import middy, { type MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import type { z } from 'zod';
import type { AuthContext } from '../auth/auth-context';
import { can, type TenantAction } from '../auth/permissions';
import { ForbiddenError, UnauthorizedError } from '../errors';
import { appendLogKeys, logContext } from '../log-context';
import { logger } from '../logger';
import { httpConfig } from './http-config';
import { problemResponse } from './problem';
import { bearerToken, clientMeta, parseWith, readJsonBody } from './request-input';
import type { HttpResult } from './response';
import { CORRELATION_ID_HEADER, corsHeaders, SECURITY_HEADERS } from './security-headers';

/** What a route may declare about its input; each is a zod schema, the single source of input truth. */
export type InputSchemas = { body?: z.ZodType; query?: z.ZodType; path?: z.ZodType };
type Parsed<S, K extends keyof InputSchemas> = S extends Record<K, infer T extends z.ZodType> ? z.infer<T> : undefined;

export type RouteInput<S extends InputSchemas> = {
  body: Parsed<S, 'body'>;
  query: Parsed<S, 'query'>;
  path: Parsed<S, 'path'>;
  client: { ip?: string; userAgent?: string };
};

export type Access = { kind: 'public' } | { kind: 'signedIn' } | { kind: 'platformAdmin' } | { kind: 'tenant'; action: TenantAction };

type Authenticator = {
  verify: (token: string) => Promise<import('../auth/access-token').Principal>;
  resolve: (principal: import('../auth/access-token').Principal) => Promise<AuthContext>;
};

type ParsedInput = { body: unknown; query: unknown; path: unknown; client: RouteInput<InputSchemas>['client'] };
export type RouteContext = Context & { auth?: AuthContext; input?: ParsedInput };

/** What serverless-offline hands every HTTP API request as its request id: one placeholder for all. */
const OFFLINE_REQUEST_ID = 'offlineContext_resourceId';

/**
 * A request's correlation id: API Gateway's request id (the access log's
 * `requestId`, the `apigw-requestid` header), else the Lambda request id,
 * which is also what the local stack uses, having no request id of its own.
 */
const correlationIdOf = (event: APIGatewayProxyEventV2, context: Context): string => {
  const requestId = event.requestContext?.requestId;
  return requestId && requestId !== OFFLINE_REQUEST_ID ? requestId : context.awsRequestId;
};

type AnsweredRequest = { event: APIGatewayProxyEventV2; context: Context; response: HttpResult | undefined | null };

/** Adds the security, CORS and correlation headers to every response, errors included. */
const responseHeaders = (): MiddlewareObj<APIGatewayProxyEventV2, HttpResult> => {
  const add = (request: AnsweredRequest) => {
    if (!request.response) return;
    // `no-store` unless the handler chose its own caching (the public OpenAPI document does).
    const cacheControl = request.response.headers?.['cache-control'];
    // Object.assign, not spread: on Node 20 each spread after the first takes V8's slow path (~5 µs here).
    request.response.headers = Object.assign(
      {},
      request.response.headers,
      SECURITY_HEADERS,
      corsHeaders(request.event.headers?.origin, httpConfig.corsAllowedOrigins),
    );
    if (cacheControl) request.response.headers['cache-control'] = cacheControl;
    request.response.headers[CORRELATION_ID_HEADER] = correlationIdOf(request.event, request.context);
  };
  return { after: add, onError: add };
};

/**
 * One line per request once it is answered, errors included: the route, the
 * status and the time it took; who asked and which request it was come from
 * the keys on every line. Never the path's values, the query or the body.
 */
const requestLog = (): MiddlewareObj<APIGatewayProxyEventV2, HttpResult> => {
  const started = new WeakMap<object, number>();
  const log = (request: AnsweredRequest) => {
    const since = started.get(request);
    logger.info('Request answered', {
      route: request.event.routeKey,
      status: request.response?.statusCode,
      ...(since === undefined ? {} : { durationMs: Math.round(performance.now() - since) }),
    });
  };
  return {
    before: (request) => {
      started.set(request, performance.now());
    },
    after: log,
    onError: log,
  };
};

/**
 * Verifies the access token and builds the auth context, then enforces the
 * route's access rule. For a tenant route the path's tenant id must equal the
 * verified `tenant_id` claim and the membership must still exist; the role is
 * the one DynamoDB holds now. `requestContext.authorizer` and offline override
 * headers are never read.
 */
const authenticate = (
  access: Access,
  authenticator: Authenticator | undefined,
): MiddlewareObj<APIGatewayProxyEventV2, HttpResult, Error, RouteContext> => ({
  before: async (request) => {
    // buildRoute guarantees an authenticator for every route that is not public.
    if (access.kind === 'public' || !authenticator) return;
    const token = bearerToken(request.event);
    if (!token) throw new UnauthorizedError();
    const auth = await authenticator.resolve(await authenticator.verify(token));
    request.context.auth = auth;
    // From here on every line of this request names its caller, the refusals below included.
    appendLogKeys({ userId: auth.userId, tenantId: auth.tenant?.tenantId });

    if (access.kind === 'platformAdmin' && !auth.isPlatformAdmin) {
      throw new ForbiddenError('This action is reserved to platform administrators.');
    }
    if (access.kind === 'tenant') {
      const pathTenantId = request.event.pathParameters?.tenantId;
      if (!auth.tenant || pathTenantId !== auth.tenant.tenantId) {
        throw new ForbiddenError('Your session is not signed in to this tenant.');
      }
      if (!can(auth.tenant.role, access.action)) {
        throw new ForbiddenError('Your role does not allow this action.');
      }
    }
  },
});

const validateInput = (schemas: InputSchemas): MiddlewareObj<APIGatewayProxyEventV2, HttpResult, Error, RouteContext> => ({
  before: (request) => {
    const { event } = request;
    request.context.input = {
      body: schemas.body ? parseWith(schemas.body, readJsonBody(event), 'request body') : undefined,
      query: schemas.query ? parseWith(schemas.query, event.queryStringParameters ?? {}, 'query') : undefined,
      path: schemas.path ? parseWith(schemas.path, event.pathParameters ?? {}, 'path') : undefined,
      client: clientMeta(event),
    };
  },
});

const problemErrors = (): MiddlewareObj<APIGatewayProxyEventV2, HttpResult, Error, RouteContext> => ({
  onError: (request) => {
    request.response = problemResponse(request.error);
  },
});

/**
 * The shared Middy chain: log context → request log → headers → token check
 * and tenant context → zod input → handler, with errors mapped to
 * problem+json by the last `.use()`. The log context comes first so that its
 * reset of the request's keys runs last, after the request log's line.
 */
export const buildRoute = <S extends InputSchemas, Core extends (ctx: RouteContext) => Promise<HttpResult>>(
  access: Access,
  schemas: S,
  /** Left out only by public routes, which then never load the verifier. */
  authenticator: Authenticator | undefined,
  core: Core,
) => {
  if (access.kind !== 'public' && !authenticator) throw new Error(`A ${access.kind} route needs an authenticator.`);
  return middy<APIGatewayProxyEventV2, HttpResult, Error, RouteContext>({ timeoutEarlyInMillis: 0 })
    .use(logContext(correlationIdOf))
    .use(requestLog())
    .use(responseHeaders())
    .use(authenticate(access, authenticator))
    .use(validateInput(schemas))
    .use(problemErrors())
    .handler((_event, context) => core(context));
};
