import type { ApiRoute, ReplyOf } from './api-route';
import { buildRoute } from './route';

/** A route anyone may call; it does not load the token verifier at all. */
export const publicRoute = <R extends ApiRoute & { access: { kind: 'public' } }>(route: R, core: () => Promise<ReplyOf<R>>) =>
  Object.assign(
    buildRoute(route.access, route.input, undefined, () => core()),
    { route },
  );
