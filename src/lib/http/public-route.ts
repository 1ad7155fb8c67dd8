import type { AccessTokenVerifier } from '../auth/verifier';
import { UnauthorizedError } from '../errors';
import type { HttpResult } from './response';
import { buildRoute } from './route';

const noAuthenticator = {
  verify: (async () => {
    throw new UnauthorizedError();
  }) as AccessTokenVerifier['verify'],
  resolve: async () => {
    throw new UnauthorizedError();
  },
};

/** A route anyone may call; it does not load the token verifier at all. */
export const publicRoute = (core: () => Promise<HttpResult>) => buildRoute({ kind: 'public' }, {}, noAuthenticator, () => core());
