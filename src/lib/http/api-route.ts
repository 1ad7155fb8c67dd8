import type * as z from 'zod';
import type { Reply } from './response';
import type { Access, InputSchemas } from './route';

/**
 * One route of the HTTP API as data: method, path, who may call it, the zod
 * schemas of its input and of each success response. The handler's Middy
 * chain validates with these schemas and answers through them
 * (src/lib/http/routes.ts), and the OpenAPI document is generated from the
 * same objects (src/lib/openapi), so the two cannot say different things.
 */

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 429 | 500 | 503;

/** Path and query parameters arrive as an object of strings. */
type ParamsSchema = z.ZodType<unknown, Record<string, unknown>>;

/** A success response's body schema, or null for none (204). */
export type SuccessResponses = { 200?: z.ZodType; 201?: z.ZodType; 204?: null };

export type ApiRoute = {
  /** The serverless.yml function that serves the route has this name. */
  operationId: string;
  method: HttpMethod;
  /** As API Gateway writes it: `/tenants/{tenantId}`. */
  path: `/${string}`;
  summary: string;
  description?: string;
  tag: string;
  access: Access;
  input: InputSchemas & { path?: ParamsSchema; query?: ParamsSchema };
  responses: SuccessResponses;
  /** Errors the use case answers beyond those the route's kind implies (see `errorStatuses`). */
  errors?: readonly ErrorStatus[];
};

/** Keeps the literal types (access kind, status codes, schemas), so a handler's core is checked against its route. */
export const defineRoute = <const R extends ApiRoute>(route: R): R => route;

/** What a route may answer: one of its declared statuses, built (`ok`, `created`, `noContent`) with that status's schema. */
export type ReplyOf<R extends ApiRoute> = {
  [K in keyof R['responses'] & number]: R['responses'][K] extends infer B extends z.ZodType | null ? Reply<K, B> : never;
}[keyof R['responses'] & number];

export const pathParams = (path: string): string[] => [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '');

/**
 * Every error status a route can answer. The route's kind implies most:
 * input → 400; a token → 401, and 503 (a store down) and 500 (a bug); a
 * tenant or platform-admin gate → 403; an object id in the path → 404; a
 * write → 409 (a concurrent change). The use case adds its own (`errors`).
 */
export const errorStatuses = (route: ApiRoute): ErrorStatus[] => {
  const statuses = new Set<ErrorStatus>(route.errors);
  const { kind } = route.access;
  if (Object.values(route.input).some(Boolean)) statuses.add(400);
  if (kind !== 'public') for (const status of [401, 500, 503] as const) statuses.add(status);
  if (kind === 'tenant' || kind === 'platformAdmin') statuses.add(403);
  if (pathParams(route.path).some((p) => p !== 'tenantId')) statuses.add(404);
  if (kind !== 'public' && route.method !== 'get') statuses.add(409);
  return [...statuses].sort((a, b) => a - b);
};
