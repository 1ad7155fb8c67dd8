import { CognitoJwtVerifier, JwtRsaVerifier } from 'aws-jwt-verify';
import { type Fetcher, SimpleFetcher } from 'aws-jwt-verify/https';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import type { JwtPayload } from 'aws-jwt-verify/jwt-model';
import { UnauthorizedError } from '../errors';
import { type Principal, principalFromClaims } from './access-token';
import type { AuthConfig } from './auth-config';

export type AccessTokenVerifier = { verify: (token: string) => Promise<Principal> };

/** The local emulator serves its JWKS over plain http on loopback; AWS always uses https. */
export const loopbackFetcher: Fetcher = {
  fetch: async (uri) => {
    const res = await fetch(uri, { signal: AbortSignal.timeout(3000) });
    if (!res.ok) throw new Error(`JWKS fetch failed with status ${res.status}`);
    return res.arrayBuffer();
  },
};

/**
 * The same checks on AWS and locally: signature against the pool's JWKS
 * (fetched once, cached), an asymmetric algorithm, `iss` equal to the pool,
 * `token_use` = access, `client_id` in the allow-list, `exp` not past.
 */
/**
 * The pool's JWKS within 1.5 s an attempt (API Gateway's own JWT authorizer
 * allows as much), not aws-jwt-verify's 3 s: with its one retry and the
 * DynamoDB budget after it, a cold start with a slow JWKS still answers a
 * clean 401 well inside the function's timeout.
 */
const JWKS_RESPONSE_TIMEOUT_MS = 1500;
export const cognitoJwksCache = () =>
  new SimpleJwksCache({ fetcher: new SimpleFetcher({ defaultRequestOptions: { responseTimeout: JWKS_RESPONSE_TIMEOUT_MS } }) });

/**
 * A verifier of the pool's access or ID tokens, on AWS (CognitoJwtVerifier)
 * or against the local emulator's issuer: the same key set, issuer and client
 * allow-list, the client read where Cognito puts it (`client_id` in an access
 * token, `aud` in an ID token).
 */
export const createJwtVerifier = (config: AuthConfig, tokenUse: 'access' | 'id', jwksCache?: SimpleJwksCache) => {
  if (!config.localIssuer) {
    return CognitoJwtVerifier.create(
      { userPoolId: config.userPoolId, tokenUse, clientId: config.clientIds },
      { jwksCache: jwksCache ?? cognitoJwksCache() },
    );
  }
  return JwtRsaVerifier.create(
    {
      issuer: config.localIssuer,
      audience: tokenUse === 'id' ? config.clientIds : null,
      jwksUri: `${config.localIssuer}/.well-known/jwks.json`,
      customJwtCheck: ({ payload }: { payload: JwtPayload }) => {
        if (payload.token_use !== tokenUse) throw new Error(`not an ${tokenUse} token`);
        if (tokenUse === 'access' && (typeof payload.client_id !== 'string' || !config.clientIds.includes(payload.client_id))) {
          throw new Error('client not allowed');
        }
      },
    },
    { jwksCache: jwksCache ?? new SimpleJwksCache({ fetcher: loopbackFetcher }) },
  );
};

const MAX_CACHED_TOKENS = 1000;
/**
 * The cache is keyed by the signature's last 43 characters (256 bits) and a
 * hit must equal the whole token: a Map would otherwise hash the whole ~1 KB
 * token, a new string on every request, which cost more than the rest of the
 * cached path (scripts/bench, auth part).
 */
const KEY_CHARS = 43;

/**
 * Wraps the JWT verifier with a cache of verified principals for the exact
 * token string, kept until the token's `exp`: a token seen again skips the
 * signature check, never the expiry, revocation or membership checks.
 */
export const createAccessTokenVerifier = (
  config: AuthConfig,
  options: { jwksCache?: SimpleJwksCache; now?: () => number } = {},
): AccessTokenVerifier => {
  const jwt = createJwtVerifier(config, 'access', options.jwksCache);
  const now = options.now ?? Date.now;
  const verified = new Map<string, { token: string; principal: Principal }>();

  return {
    verify: async (token) => {
      const key = token.slice(-KEY_CHARS);
      const cached = verified.get(key);
      if (cached && cached.token === token) {
        if (cached.principal.expiresAt * 1000 > now()) return cached.principal;
        verified.delete(key);
      }
      let payload: unknown;
      try {
        payload = await jwt.verify(token);
      } catch (err) {
        throw new UnauthorizedError(err);
      }
      const principal = principalFromClaims(payload);
      if (!principal) throw new UnauthorizedError('claims missing or malformed');
      // Checked against our clock too, so the cache and the check agree on when a token ends.
      if (principal.expiresAt * 1000 <= now()) throw new UnauthorizedError('expired');
      if (verified.size >= MAX_CACHED_TOKENS) {
        const oldest = verified.keys().next().value;
        if (oldest !== undefined) verified.delete(oldest);
      }
      verified.set(key, { token, principal });
      return principal;
    },
  };
};
