import type { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import type { JwtPayload } from 'aws-jwt-verify/jwt-model';
import { ForbiddenError } from '../errors';
import type { AuthConfig } from './auth-config';
import { createJwtVerifier } from './verifier';

/**
 * The check of an ID token a signed-in caller hands over (PUT
 * /me/storage-identity): the same pool, key set and client allow-list as the
 * access-token check (verifier.ts), but `token_use` = id and the client in
 * `aud`. A token that fails is the caller's input, not their credential: 403,
 * never the 401 that would tell the client its access token is bad.
 */
export type IdTokenVerifier = { verify: (token: string) => Promise<{ sub: string }> };

export const ID_TOKEN_REFUSED = 'The ID token is not a valid, current ID token of this app.';

export const createIdTokenVerifier = (config: AuthConfig, options: { jwksCache?: SimpleJwksCache } = {}): IdTokenVerifier => {
  const jwt = createJwtVerifier(config, 'id', options.jwksCache);
  return {
    verify: async (token) => {
      let payload: JwtPayload;
      try {
        payload = await jwt.verify(token);
      } catch (err) {
        throw new ForbiddenError(ID_TOKEN_REFUSED, { cause: err });
      }
      if (typeof payload.sub !== 'string' || payload.sub === '') throw new ForbiddenError(ID_TOKEN_REFUSED, { cause: 'no sub' });
      return { sub: payload.sub };
    },
  };
};

/**
 * The name the Identity Pool knows the user pool by, the key of GetId's
 * `Logins`: the token issuer without its scheme, as Amplify forms it
 * (`cognito-idp.<region>.amazonaws.com/<userPoolId>` on AWS; the emulator's
 * `127.0.0.1:<port>/<userPoolId>` locally).
 */
export const loginsProviderName = (config: AuthConfig): string => {
  if (config.localIssuer) return config.localIssuer.replace(/^\w+:\/\//, '');
  const region = config.userPoolId.split('_')[0] ?? config.region;
  return `cognito-idp.${region}.amazonaws.com/${config.userPoolId}`;
};
