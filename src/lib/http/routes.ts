import type { AuthContext } from '../auth/auth-context';
import { accessTokenVerifier, authContextResolver } from '../auth/authenticator';
import type { TenantAction } from '../auth/permissions';
import type { HttpResult } from './response';
import { buildRoute, type InputSchemas, type RouteContext, type RouteInput, type TenantContext } from './route';

const authenticator = { verify: accessTokenVerifier.verify, resolve: authContextResolver.resolve };

type Ctx = RouteContext;

const inputOf = <S extends InputSchemas>(ctx: Ctx) => ctx.input as unknown as RouteInput<S>;
const authOf = (ctx: Ctx): AuthContext => {
  if (!ctx.auth) throw new Error('auth context missing after authentication');
  return ctx.auth;
};

/** Any signed-in caller with a valid, unrevoked access token. */
export const signedInRoute = <S extends InputSchemas>(
  schemas: S,
  core: (req: RouteInput<S> & { auth: AuthContext }) => Promise<HttpResult>,
) => buildRoute({ kind: 'signedIn' }, schemas, authenticator, (ctx) => core({ ...inputOf<S>(ctx), auth: authOf(ctx) }));

/** Members of the `platform-admin` Cognito group only. */
export const platformAdminRoute = <S extends InputSchemas>(
  schemas: S,
  core: (req: RouteInput<S> & { auth: AuthContext }) => Promise<HttpResult>,
) => buildRoute({ kind: 'platformAdmin' }, schemas, authenticator, (ctx) => core({ ...inputOf<S>(ctx), auth: authOf(ctx) }));

/**
 * A route under /tenants/{tenantId}: the caller's verified, current tenant
 * must be the path's, and their role must allow `action`. The handler gets the
 * tenant context, and builds every key from it.
 */
export const tenantRoute = <S extends InputSchemas>(
  action: TenantAction,
  schemas: S,
  core: (req: RouteInput<S> & { auth: AuthContext; tenant: TenantContext }) => Promise<HttpResult>,
) =>
  buildRoute({ kind: 'tenant', action }, schemas, authenticator, (ctx) => {
    if (!ctx.tenant) throw new Error('tenant context missing after authentication');
    return core({ ...inputOf<S>(ctx), auth: authOf(ctx), tenant: ctx.tenant });
  });
