import { authConfig } from './auth-config';
import { createAuthContextResolver } from './auth-context';
import { readSessionState } from './session-state';
import { createAccessTokenVerifier } from './verifier';

/**
 * The container's verifier and auth-context resolver, created once at module
 * load: the JWKS is fetched once per cold start and both caches live as long
 * as the container.
 */
export const accessTokenVerifier = createAccessTokenVerifier(authConfig);

export const authContextResolver = createAuthContextResolver(readSessionState, {
  cacheMillis: authConfig.cacheMillis,
});
