import type { AuthContext } from '../auth/auth-context';
import { accessTokenVerifier, authContextResolver } from '../auth/authenticator';
import { type Caller, callerOf, type TenantCaller } from '../auth/caller';
import type { TenantAction } from '../auth/permissions';
import type { HttpResult } from './response';
import { buildRoute, type InputSchemas, type RouteContext, type RouteInput } from './route';

const authenticator = { verify: accessTokenVerifier.verify, resolve: authContextResolver.resolve };

type Ctx = RouteContext;

const inputOf = <S extends InputSchemas>(ctx: Ctx): RouteInput<S> => ctx.input as unknown as RouteInput<S>;
const authOf = (ctx: Ctx): AuthContext => {
  if (!ctx.auth) throw new Error('auth context missing after authentication');
  return ctx.auth;
};

/** The parsed input and the caller, built from the verified auth context and the client's address. */
const withCaller = <S extends InputSchemas>(ctx: Ctx) => {
  const { client, ...input } = inputOf<S>(ctx);
  return { ...input, caller: callerOf(authOf(ctx), client) };
};

type Request<S extends InputSchemas, C> = Omit<RouteInput<S>, 'client'> & { caller: C };

/** Any signed-in caller with a valid, unrevoked access token. */
export const signedInRoute = <S extends InputSchemas>(schemas: S, core: (req: Request<S, Caller>) => Promise<HttpResult>) =>
  buildRoute({ kind: 'signedIn' }, schemas, authenticator, (ctx) => core(withCaller<S>(ctx)));

/** Members of the `platform-admin` Cognito group only. */
export const platformAdminRoute = <S extends InputSchemas>(schemas: S, core: (req: Request<S, Caller>) => Promise<HttpResult>) =>
  buildRoute({ kind: 'platformAdmin' }, schemas, authenticator, (ctx) => core(withCaller<S>(ctx)));

/**
 * A route under /tenants/{tenantId}: the caller's verified, current tenant
 * must be the path's, and their role must allow `action`. The handler gets a
 * caller whose tenant and role are present, and builds every key from it.
 */
export const tenantRoute = <S extends InputSchemas>(
  action: TenantAction,
  schemas: S,
  core: (req: Request<S, TenantCaller>) => Promise<HttpResult>,
) =>
  buildRoute({ kind: 'tenant', action }, schemas, authenticator, (ctx) => {
    const { caller, ...input } = withCaller<S>(ctx);
    if (!caller.tenantId || !caller.role) throw new Error('tenant context missing after authentication');
    return core({ ...input, caller: { ...caller, tenantId: caller.tenantId, role: caller.role } });
  });
