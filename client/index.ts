import createClient, { type Client } from 'openapi-fetch';
import type { components, paths } from './schema';

/**
 * The typed client of the Tenantgate API: openapi-fetch over the types that
 * openapi-typescript generates from docs/openapi.json (`npm run openapi`
 * regenerates both). Paths, parameters, bodies and answers are checked at
 * compile time against the same zod schemas the handlers validate with.
 *
 *   const api = createTenantgateClient({ baseUrl: apiUrl, accessToken: () => session.accessToken });
 *   const { data, error } = await api.GET('/tenants/{tenantId}', { params: { path: { tenantId } } });
 */
export type TenantgateClient = Client<paths>;

/**
 * `baseUrl`: the API's URL (`.local/stack.json` `apiUrl` locally, the stack's `ApiUrl` output on AWS).
 * `accessToken`: the caller's Cognito access token (never the ID token), asked before every request;
 * when it gives none, the request goes without `Authorization`.
 */
export const createTenantgateClient = (options: {
  baseUrl: string;
  accessToken: () => Promise<string | undefined> | string | undefined;
}): TenantgateClient => {
  const client = createClient<paths>({ baseUrl: options.baseUrl });
  client.use({
    onRequest: async ({ request }) => {
      const token = await options.accessToken();
      if (token) request.headers.set('authorization', `Bearer ${token}`);
      return request;
    },
  });
  return client;
};

type Schemas = components['schemas'];

/** The API's shapes, by their names in the OpenAPI document. */
export type Tenant = Schemas['Tenant'];
export type Member = Schemas['Member'];
export type Invite = Schemas['Invite'];
export type MyInvite = Schemas['MyInvite'];
export type FileView = Schemas['File'];
export type FileDetails = Schemas['FileDetails'];
export type AuditEvent = Schemas['AuditEvent'];
export type Me = Schemas['Me'];
export type Membership = Schemas['Membership'];
export type Role = Schemas['Role'];
export type Problem = Schemas['Problem'];
export type { components, paths };
