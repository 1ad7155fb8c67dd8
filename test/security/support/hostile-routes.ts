import { readFileSync } from 'node:fs';
import path from 'node:path';
import { uniqueEmail } from '../../integration/support/stack';
import type { Caller, World } from '../../integration/support/world';
import type { BodySpec } from './hostile-inputs';

/**
 * Every route of the API with a request it answers without changing anything
 * a later case relies on (unknown ids where a success would remove something,
 * a role "change" to the same role, a rename to the same name), for the
 * hostile-input property to spoil one part at a time.
 */
export type HostileWorld = World & {
  revoker: Caller;
  fileId: string;
  /** Added to tenant A, pending, its TXT record never published: adding it again is a 409, verifying it a 409. */
  domain: string;
  /** An issuer on loopback that answers every request 404 and records it: a PUT /sso that fetched it is seen. */
  issuer: string;
};

export type HostileRoute = {
  /** `METHOD /path/{param}` as serverless.yml declares it. */
  route: string;
  caller: (w: HostileWorld) => Caller | undefined;
  /** The path parameters' values, in the order of the template. */
  params: (w: HostileWorld) => string[];
  body?: Omit<BodySpec, 'valid'> & { valid: (w: HostileWorld) => Record<string, unknown> };
  query?: 'list' | 'audit';
  /**
   * Each case from a source address of its own (127.64.x.y): the route counts
   * requests per source address (POST /sso/discover, 30 a minute), and every
   * case must reach its checks rather than the limit.
   */
  perSource?: true;
};

/** A well-formed id that names nothing: DELETE and accept answer 404 and remove nothing. */
export const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
/** A well-formed domain no tenant added: DELETE and verify answer 404 and remove nothing. */
export const UNKNOWN_DOMAIN = 'no-such-domain.hostile.test';

const tenantA = (w: HostileWorld) => [w.tenantA];

export const HOSTILE_ROUTES: HostileRoute[] = [
  { route: 'GET /health', caller: () => undefined, params: () => [] },
  { route: 'GET /openapi.json', caller: () => undefined, params: () => [] },
  { route: 'GET /me', caller: (w) => w.callers.viewer, params: () => [] },
  {
    route: 'PUT /me/active-tenant',
    caller: (w) => w.callers.member,
    params: () => [],
    body: { valid: (w) => ({ tenantId: w.tenantA }), fields: ['tenantId'] },
  },
  { route: 'GET /me/invites', caller: (w) => w.callers.member, params: () => [], query: 'list' },
  { route: 'POST /me/invites/{inviteId}/accept', caller: (w) => w.callers.member, params: () => [UNKNOWN_ID] },
  {
    // Not an ID token of the caller: 403, and no identity is registered.
    route: 'PUT /me/storage-identity',
    caller: (w) => w.callers.member,
    params: () => [],
    body: { valid: () => ({ idToken: 'not.an.id-token' }), fields: ['idToken'] },
  },
  {
    route: 'POST /tenants',
    caller: (w) => w.callers.platformAdmin,
    params: () => [],
    body: { valid: () => ({ name: 'Hostile Input Co', ownerEmail: uniqueEmail('hostile-owner') }), fields: ['name', 'ownerEmail'] },
  },
  { route: 'GET /tenants/{tenantId}', caller: (w) => w.callers.owner, params: tenantA },
  {
    route: 'PATCH /tenants/{tenantId}',
    caller: (w) => w.callers.owner,
    params: tenantA,
    body: { valid: () => ({ name: 'Tenant A' }), fields: ['name'] },
  },
  { route: 'GET /tenants/{tenantId}/members', caller: (w) => w.callers.owner, params: tenantA, query: 'list' },
  {
    route: 'PATCH /tenants/{tenantId}/members/{userId}',
    caller: (w) => w.callers.owner,
    params: (w) => [w.tenantA, w.callers.viewer.userId],
    body: { valid: () => ({ role: 'viewer' }), fields: ['role'] },
  },
  { route: 'DELETE /tenants/{tenantId}/members/{userId}', caller: (w) => w.callers.owner, params: (w) => [w.tenantA, UNKNOWN_ID] },
  {
    route: 'POST /tenants/{tenantId}/invites',
    caller: (w) => w.callers.owner,
    params: tenantA,
    body: { valid: () => ({ email: uniqueEmail('hostile-invite'), role: 'viewer' }), fields: ['email', 'role'] },
  },
  { route: 'GET /tenants/{tenantId}/invites', caller: (w) => w.callers.owner, params: tenantA, query: 'list' },
  { route: 'DELETE /tenants/{tenantId}/invites/{inviteId}', caller: (w) => w.callers.owner, params: (w) => [w.tenantA, UNKNOWN_ID] },
  { route: 'GET /tenants/{tenantId}/audit', caller: (w) => w.callers.owner, params: tenantA, query: 'audit' },
  {
    route: 'POST /tenants/{tenantId}/files',
    caller: (w) => w.callers.member,
    params: tenantA,
    body: { valid: () => ({ name: 'hostile.csv', contentType: 'text/csv', size: 4 }), fields: ['name', 'contentType', 'size'] },
  },
  { route: 'GET /tenants/{tenantId}/files', caller: (w) => w.callers.owner, params: tenantA, query: 'list' },
  { route: 'GET /tenants/{tenantId}/files/{fileId}', caller: (w) => w.callers.owner, params: (w) => [w.tenantA, w.fileId] },
  { route: 'DELETE /tenants/{tenantId}/files/{fileId}', caller: (w) => w.callers.owner, params: (w) => [w.tenantA, UNKNOWN_ID] },
  {
    route: 'POST /tenants/{tenantId}/domains',
    caller: (w) => w.callers.owner,
    params: tenantA,
    // Already added: a 409 that adds nothing (another domain would count against the tenant's 20).
    body: { valid: (w) => ({ domain: w.domain }), fields: ['domain'] },
  },
  { route: 'GET /tenants/{tenantId}/domains', caller: (w) => w.callers.owner, params: tenantA, query: 'list' },
  // Pending, no TXT record: a real DNS query, then 409.
  { route: 'POST /tenants/{tenantId}/domains/{domain}/verify', caller: (w) => w.callers.owner, params: (w) => [w.tenantA, w.domain] },
  { route: 'DELETE /tenants/{tenantId}/domains/{domain}', caller: (w) => w.callers.owner, params: (w) => [w.tenantA, UNKNOWN_DOMAIN] },
  {
    // Valid, it fetches the issuer's discovery document, which answers 404: a 400 before Cognito is touched.
    route: 'PUT /tenants/{tenantId}/sso',
    caller: (w) => w.callers.owner,
    params: tenantA,
    body: {
      valid: (w) => ({
        type: 'oidc',
        issuer: w.issuer,
        clientId: 'hostile-client',
        clientSecret: 'hostile-secret',
        defaultRole: 'member',
        enforce: false,
      }),
      fields: ['type', 'issuer', 'clientId', 'clientSecret', 'defaultRole', 'enforce'],
    },
  },
  // Tenant A has no SSO: 404, and a DELETE removes nothing.
  { route: 'GET /tenants/{tenantId}/sso', caller: (w) => w.callers.owner, params: tenantA },
  { route: 'DELETE /tenants/{tenantId}/sso', caller: (w) => w.callers.owner, params: tenantA },
  {
    route: 'POST /sso/discover',
    caller: () => undefined,
    params: () => [],
    body: { valid: () => ({ email: 'someone@hostile-discover.test' }), fields: ['email'] },
    perSource: true,
  },
  {
    // A session of its own: a revocation that goes through (an empty body is valid) ends only that one.
    route: 'POST /sessions/revoke',
    caller: (w) => w.revoker,
    params: () => [],
    body: { valid: () => ({ refreshToken: 'not-a-refresh-token' }), fields: ['refreshToken', 'scope'], emptyIsValid: true },
  },
];

export const methodOf = (r: HostileRoute): string => r.route.split(' ')[0] ?? 'GET';
const templateOf = (r: HostileRoute): string => r.route.split(' ')[1] ?? '/';

/** The path with these (already wire-encoded) parameter values in the template's places. */
export const pathOf = (r: HostileRoute, params: string[]): string => {
  let i = 0;
  return templateOf(r).replace(/\{[^}]+\}/g, () => params[i++] ?? '');
};

/** Index of `{tenantId}` in the template: a hostile value there meets the tenant gate (403) before validation. */
export const tenantParamOf = (r: HostileRoute): number => (templateOf(r).match(/\{[^}]+\}/g) ?? ([] as string[])).indexOf('{tenantId}');

/** The routes serverless.yml declares, so a new one cannot be left out of HOSTILE_ROUTES. */
export const declaredRoutes = (): string[] => {
  const yml = readFileSync(path.resolve(import.meta.dirname, '../../../serverless.yml'), 'utf8');
  return [...yml.matchAll(/httpApi:\s*\{\s*method:\s*(\w+),\s*path:\s*'?([^'\s]+?)'?\s*\}\s*$/gm)].map((m) => `${m[1]} ${m[2]}`).sort();
};
