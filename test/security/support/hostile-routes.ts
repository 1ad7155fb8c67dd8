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
export type HostileWorld = World & { revoker: Caller; fileId: string };

export type HostileRoute = {
  /** `METHOD /path/{param}` as serverless.yml declares it. */
  route: string;
  caller: (w: HostileWorld) => Caller | undefined;
  /** The path parameters' values, in the order of the template. */
  params: (w: HostileWorld) => string[];
  body?: Omit<BodySpec, 'valid'> & { valid: (w: HostileWorld) => Record<string, unknown> };
  query?: 'list' | 'audit';
};

/** A well-formed id that names nothing: DELETE and accept answer 404 and remove nothing. */
export const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

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
