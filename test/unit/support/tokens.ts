/**
 * Real JWTs for auth tests: an RS256 key pair generated per test file, its
 * public JWK for aws-jwt-verify's SimpleJwksCache, Cognito-shaped access and
 * ID token claims, and the two classic forgeries (`alg: none`, and HS256
 * keyed with the public key).
 */
import { createHmac, generateKeyPairSync, type KeyObject, randomUUID, sign } from 'node:crypto';
import type { Fetcher } from 'aws-jwt-verify/https';
import { type Jwks, SimpleJwksCache } from 'aws-jwt-verify/jwk';

export type SigningKey = { kid: string; privateKey: KeyObject; publicKey: KeyObject };
type Claims = Record<string, unknown>;

export const generateSigningKey = (kid = `kid-${randomUUID()}`): SigningKey => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid, privateKey, publicKey };
};

/** The public JWK as Cognito publishes it; `withAlg: false` mimics an IdP that omits `alg`. */
export const publicJwks = (keys: SigningKey[], options: { withAlg?: boolean } = {}): Jwks => ({
  keys: keys.map((k) => ({
    ...(k.publicKey.export({ format: 'jwk' }) as { kty: string; n: string; e: string }),
    kid: k.kid,
    use: 'sig',
    ...(options.withAlg === false ? {} : { alg: 'RS256' }),
  })),
});

/** A JWKS cache with the JWKS preloaded; any fetch (a kid miss) is counted and fails: no network in unit tests. */
export const preloadedJwksCache = (jwksUri: string, jwks: Jwks) => {
  const fetches: string[] = [];
  const fetcher: Fetcher = {
    fetch: async (uri) => {
      fetches.push(uri);
      throw new Error(`unit tests do not fetch ${uri}`);
    },
  };
  const cache = new SimpleJwksCache({ fetcher });
  cache.addJwks(jwksUri, jwks);
  return { cache, fetches };
};

const base64url = (input: string | Buffer): string => Buffer.from(input).toString('base64url');
const encodeJson = (value: unknown): string => base64url(JSON.stringify(value));

export const signToken = (claims: Claims, key: SigningKey, header: Claims = {}): string => {
  const signingInput = `${encodeJson({ alg: 'RS256', typ: 'JWT', kid: key.kid, ...header })}.${encodeJson(claims)}`;
  return `${signingInput}.${base64url(sign('sha256', Buffer.from(signingInput), key.privateKey))}`;
};

/** `alg: none`, no signature: the forgery every verifier must refuse. */
export const forgeAlgNone = (claims: Claims, kid: string): string =>
  `${encodeJson({ alg: 'none', typ: 'JWT', kid })}.${encodeJson(claims)}.`;

/** Algorithm confusion: HS256 with the RSA public key (PEM) as the HMAC secret. */
export const forgeHs256WithPublicKey = (claims: Claims, key: SigningKey): string => {
  const signingInput = `${encodeJson({ alg: 'HS256', typ: 'JWT', kid: key.kid })}.${encodeJson(claims)}`;
  const secret = key.publicKey.export({ format: 'pem', type: 'spki' });
  return `${signingInput}.${createHmac('sha256', secret).update(signingInput).digest('base64url')}`;
};

/** Replaces the payload and keeps the original header and signature. */
export const withTamperedPayload = (token: string, changes: Claims): string => {
  const [header, payload, signature] = token.split('.');
  if (header === undefined || payload === undefined || signature === undefined) throw new Error('not a JWT');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Claims;
  return `${header}.${encodeJson({ ...claims, ...changes })}.${signature}`;
};

export const cognitoIssuer = (userPoolId: string, region = userPoolId.split('_')[0] ?? ''): string =>
  `https://cognito-idp.${region}.amazonaws.com/${userPoolId}`;

export const jwksUriOf = (issuer: string): string => `${issuer}/.well-known/jwks.json`;

export type TokenInput = {
  issuer: string;
  clientId: string;
  sub?: string;
  sessionId?: string;
  /** Epoch seconds; defaults to the (possibly faked) current time. */
  issuedAt?: number;
  lifetimeSeconds?: number;
};

/** The claims of a Cognito access token (after a V2 pre-token-generation trigger). */
export const accessTokenClaims = (input: TokenInput, extra: Claims = {}): Claims => {
  const iat = input.issuedAt ?? Math.floor(Date.now() / 1000);
  const sub = input.sub ?? randomUUID();
  return {
    sub,
    iss: input.issuer,
    client_id: input.clientId,
    origin_jti: input.sessionId ?? randomUUID(),
    event_id: randomUUID(),
    token_use: 'access',
    scope: 'aws.cognito.signin.user.admin',
    auth_time: iat,
    iat,
    exp: iat + (input.lifetimeSeconds ?? 3600),
    jti: randomUUID(),
    username: sub,
    ...extra,
  };
};

/** The claims of a Cognito ID token for the same sign-in: `aud` instead of `client_id`. */
export const idTokenClaims = (input: TokenInput, extra: Claims = {}): Claims => {
  const iat = input.issuedAt ?? Math.floor(Date.now() / 1000);
  const sub = input.sub ?? randomUUID();
  return {
    sub,
    iss: input.issuer,
    aud: input.clientId,
    origin_jti: input.sessionId ?? randomUUID(),
    event_id: randomUUID(),
    token_use: 'id',
    auth_time: iat,
    iat,
    exp: iat + (input.lifetimeSeconds ?? 3600),
    jti: randomUUID(),
    'cognito:username': sub,
    email: 'someone@acme.test',
    email_verified: true,
    ...extra,
  };
};
