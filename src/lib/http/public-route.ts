import type { ApiRoute, ReplyOf } from './api-route';
import { buildRoute, type RouteInput } from './route';

/** A route anyone may call; it does not load the token verifier at all. Its core gets the parsed input and the client's address. */
export const publicRoute = <R extends ApiRoute & { access: { kind: 'public' } }>(
  route: R,
  core: (input: RouteInput<R['input']>) => Promise<ReplyOf<R>>,
) =>
  Object.assign(
    buildRoute(route.access, route.input, undefined, (ctx) => core(ctx.input as unknown as RouteInput<R['input']>)),
    { route },
  );
