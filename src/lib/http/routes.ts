import type { AuthContext } from '../auth/auth-context';
import { accessTokenVerifier, authContextResolver } from '../auth/authenticator';
import { type Caller, callerOf, type TenantCaller } from '../auth/caller';
import type { ApiRoute, ReplyOf } from './api-route';
import { type Access, buildRoute, type InputSchemas, type RouteContext, type RouteInput } from './route';

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

/** A tenant route's caller has a tenant and a role; anyone else's may have neither. */
type CallerOf<A extends Access> = A extends { kind: 'tenant' } ? TenantCaller : Caller;

export type Request<R extends ApiRoute> = Omit<RouteInput<R['input']>, 'client'> & { caller: CallerOf<R['access']> };

export type ProtectedRoute = ApiRoute & { access: Exclude<Access, { kind: 'public' }> };

/**
 * The handler of a route that needs a token (src/lib/http/api-routes.ts): its
 * Middy chain checks the token and the route's access rule, parses the input
 * with the route's schemas and hands the core the parsed input and the
 * caller. For a tenant route the caller's verified, current tenant is the
 * path's and the role allows the route's action; every key is built from it.
 * The handler carries its route, so a test can tell which one it serves.
 */
export const apiRoute = <R extends ProtectedRoute>(route: R, core: (req: Request<R>) => Promise<ReplyOf<R>>) => {
  const handler = buildRoute(route.access, route.input, authenticator, (ctx) => {
    const { caller, ...input } = withCaller<R['input']>(ctx);
    if (route.access.kind !== 'tenant') return core({ ...input, caller } as Request<R>);
    if (!caller.tenantId || !caller.role) throw new Error('tenant context missing after authentication');
    return core({ ...input, caller: { ...caller, tenantId: caller.tenantId, role: caller.role } } as Request<R>);
  });
  return Object.assign(handler, { route });
};
