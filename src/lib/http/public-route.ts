import type { HttpResult } from './response';
import { buildRoute } from './route';

/** A route anyone may call; it does not load the token verifier at all. */
export const publicRoute = (core: () => Promise<HttpResult>) => buildRoute({ kind: 'public' }, {}, undefined, () => core());
