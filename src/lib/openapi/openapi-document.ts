import * as z from 'zod';
import {
  createDocument,
  type oas31,
  type ZodOpenApiOperationObject,
  type ZodOpenApiOverride,
  type ZodOpenApiPathsObject,
  type ZodOpenApiResponseObject,
} from 'zod-openapi';
import { version } from '../../../package.json';
import { PERMISSIONS } from '../auth/permissions';
import { type ApiRoute, type ErrorStatus, errorStatuses } from '../http/api-route';
import { problemSchema } from '../http/schemas';

/**
 * The OpenAPI 3.1 document of the HTTP API, generated from the route registry
 * (src/lib/http/api-routes.ts) with zod-openapi: request schemas render as
 * their input (what a client sends), response schemas as their output (what
 * it gets back, no undeclared field). Served by GET /openapi.json and written
 * to docs/openapi.json (`npm run openapi`).
 */

const BEARER_SCHEME = 'cognitoAccessToken';
const PROBLEM = 'application/problem+json';

const retryAfter = z.object({ 'Retry-After': z.string().meta({ description: 'Seconds to wait before trying again.' }) });

const problem = (id: string, description: string, headers?: ZodOpenApiResponseObject['headers']): ZodOpenApiResponseObject => ({
  id,
  description,
  ...(headers ? { headers } : {}),
  content: { [PROBLEM]: { schema: problemSchema } },
});

/** One response component per error status, each a problem+json. */
const ERROR_RESPONSES: Record<ErrorStatus, ZodOpenApiResponseObject> = {
  400: problem(
    'BadRequest',
    'Invalid input: a wrong type, a missing or unknown field, ill-formed Unicode, a body that is not a JSON object, a tampered or foreign cursor, a bad date. `errors` names the fields.',
  ),
  401: problem(
    'Unauthorized',
    'No valid access token (missing, expired, revoked, of another pool or client, or an ID token); the detail never says which.',
    z.object({ 'WWW-Authenticate': z.literal('Bearer error="invalid_token"') }),
  ),
  403: problem('Forbidden', "Signed in but not allowed: another tenant's path id, a role too low, not a platform administrator."),
  404: problem('NotFound', "No such object in the caller's tenant (another tenant's id included)."),
  409: problem('Conflict', 'A conflict: the last owner, an invite no longer pending, an existing member or invite, a concurrent change.'),
  429: problem('TooManyRequests', 'A rate limit: try again after `Retry-After` seconds.', retryAfter),
  500: problem('InternalServerError', 'A bug; the answer carries no detail.'),
  503: problem(
    'ServiceUnavailable',
    'A store throttled or was unavailable; nothing was written. Try again after `Retry-After` seconds.',
    retryAfter,
  ),
};

const SUCCESS_TEXT = { 200: 'OK', 201: 'Created', 204: 'No Content' } as const;

const successResponses = (route: ApiRoute): Record<string, ZodOpenApiResponseObject> =>
  Object.fromEntries(
    Object.entries(route.responses).map(([status, schema]) => {
      const description =
        (schema && z.globalRegistry.get(schema)?.description) || SUCCESS_TEXT[Number(status) as keyof typeof SUCCESS_TEXT];
      return [status, schema ? { description, content: { 'application/json': { schema } } } : { description }];
    }),
  );

/** Who may call the route, for readers and tools: the kind, and for a tenant route the action and the lowest role. */
const accessOf = ({ access }: ApiRoute) =>
  access.kind === 'tenant' ? { kind: access.kind, action: access.action, minimumRole: PERMISSIONS[access.action] } : { kind: access.kind };

const operationOf = (route: ApiRoute): ZodOpenApiOperationObject => {
  const { path, query, body } = route.input;
  return {
    operationId: route.operationId,
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    tags: [route.tag],
    security: route.access.kind === 'public' ? [] : [{ [BEARER_SCHEME]: [] }],
    'x-tenantgate-access': accessOf(route),
    ...(path || query ? { requestParams: { ...(path ? { path } : {}), ...(query ? { query } : {}) } } : {}),
    // No body reads as `{}`: required only where `{}` is not a valid body.
    ...(body ? { requestBody: { required: !body.safeParse({}).success, content: { 'application/json': { schema: body } } } } : {}),
    responses: {
      ...successResponses(route),
      ...Object.fromEntries(errorStatuses(route).map((status) => [String(status), ERROR_RESPONSES[status]])),
    },
  };
};

/** Leaves out what zod adds for its own checks and a reader does not need: a date-time's regex, a safe integer's bounds. */
const tidy: ZodOpenApiOverride = ({ jsonSchema }) => {
  if (jsonSchema.format === 'date-time') delete jsonSchema.pattern;
  if (jsonSchema.minimum === Number.MIN_SAFE_INTEGER) delete jsonSchema.minimum;
  if (jsonSchema.maximum === Number.MAX_SAFE_INTEGER) delete jsonSchema.maximum;
};

export const openApiDocument = (routes: readonly ApiRoute[]): oas31.OpenAPIObject => {
  const paths: ZodOpenApiPathsObject = {};
  for (const route of routes) paths[route.path] = { ...paths[route.path], [route.method]: operationOf(route) };
  return createDocument(
    {
      openapi: '3.1.0',
      info: {
        title: 'Tenantgate API',
        version,
        description:
          'Invite-only tenants, roles carried in the token, tenant isolation, an audit log and tenant-scoped CSV uploads. Every route but `GET /health` and `GET /openapi.json` needs `Authorization: Bearer <Cognito access token>`. Errors are `application/problem+json` (RFC 9457). Lists take `?limit=` (1–100, default 25) and `?cursor=`.',
      },
      tags: [...new Set(routes.map((r) => r.tag))].map((name) => ({ name })),
      paths,
      components: {
        securitySchemes: {
          [BEARER_SCHEME]: {
            type: 'http',
            scheme: 'bearer',
            bearerFormat: 'JWT',
            description:
              "An access token of the stage's Cognito user pool (an ID token is refused). A tenant route takes the tenant and role from its `tenant_id` and `tenant_role` claims and checks the membership still exists.",
          },
        },
      },
    },
    { override: tidy },
  );
};
