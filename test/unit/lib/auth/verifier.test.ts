import { JwtExpiredError } from 'aws-jwt-verify/error';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AuthConfig } from '../../../../src/lib/auth/auth-config';
import { type AccessTokenVerifier, createAccessTokenVerifier } from '../../../../src/lib/auth/verifier';
import { UnauthorizedError } from '../../../../src/lib/errors';
import { TEST_CLIENT_IDS, TEST_REGION, TEST_USER_POOL_ID } from '../../support/test-env';
import {
  accessTokenClaims,
  cognitoIssuer,
  forgeAlgNone,
  forgeHs256WithPublicKey,
  generateSigningKey,
  idTokenClaims,
  jwksUriOf,
  preloadedJwksCache,
  publicJwks,
  signToken,
  withTamperedPayload,
} from '../../support/tokens';

const T0 = Date.parse('2025-06-02T09:00:00.000Z');
const T0_SECONDS = T0 / 1000;
const CLIENT_ID = 'webclient1';
const OTHER_POOL_ID = 'eu-west-1_OtherPool9';

const poolKey = generateSigningKey('pool-key-1');
const strangerKey = generateSigningKey('stranger-key-1');

const awsIssuer = cognitoIssuer(TEST_USER_POOL_ID);
const localIssuer = `http://127.0.0.1:9229/${TEST_USER_POOL_ID}`;
const baseConfig = { userPoolId: TEST_USER_POOL_ID, clientIds: [...TEST_CLIENT_IDS], region: TEST_REGION, cacheMillis: 4000 };

const setups: { name: string; config: AuthConfig; issuer: string; foreignIssuers: string[] }[] = [
  {
    name: 'AWS pool issuer',
    config: { ...baseConfig, localIssuer: undefined },
    issuer: awsIssuer,
    foreignIssuers: [cognitoIssuer(OTHER_POOL_ID), localIssuer],
  },
  {
    name: 'local emulator issuer',
    config: { ...baseConfig, localIssuer },
    issuer: localIssuer,
    foreignIssuers: [`http://127.0.0.1:9229/${OTHER_POOL_ID}`, awsIssuer],
  },
];

describe.each(setups)('createAccessTokenVerifier with the $name', ({ config, issuer, foreignIssuers }) => {
  let jwks: ReturnType<typeof preloadedJwksCache>;
  let verifier: AccessTokenVerifier;

  const claims = (extra: Record<string, unknown> = {}) =>
    accessTokenClaims({ issuer, clientId: CLIENT_ID, sub: 'user-1', sessionId: 'session-1' }, extra);
  const validToken = (extra: Record<string, unknown> = {}) => signToken(claims(extra), poolKey);

  beforeEach(() => {
    // The library checks exp and nbf against Date.now(); the verifier's cache against the injected clock.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(T0);
    jwks = preloadedJwksCache(jwksUriOf(issuer), publicJwks([poolKey]));
    verifier = createAccessTokenVerifier(config, { jwksCache: jwks.cache, now: () => Date.now() });
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  describe('accepts', () => {
    it('a valid access token and returns the principal', async () => {
      // Prepare
      const tokenClaims = claims({ tenant_id: 'tenant-a', tenant_role: 'admin', 'cognito:groups': ['platform-admin'] });
      const token = signToken(tokenClaims, poolKey);

      // Act
      const principal = await verifier.verify(token);

      // Assess
      expect(principal).toEqual({
        userId: 'user-1',
        clientId: CLIENT_ID,
        sessionId: 'session-1',
        tokenId: tokenClaims.jti,
        expiresAt: T0_SECONDS + 3600,
        issuedAt: tokenClaims.iat,
        groups: ['platform-admin'],
        claimedTenant: { tenantId: 'tenant-a', role: 'admin' },
      });
      expect(jwks.fetches).toEqual([]);
    });

    it("fetches the pool's JWKS once, on first use, and reuses it for every later token", async () => {
      // Prepare: an empty cache whose fetcher serves the JWKS and counts the fetches
      const served: string[] = [];
      const body = new TextEncoder().encode(JSON.stringify(publicJwks([poolKey])));
      const fetching = new SimpleJwksCache({
        fetcher: {
          fetch: async (uri) => {
            served.push(uri);
            return body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer;
          },
        },
      });
      const coldVerifier = createAccessTokenVerifier(config, { jwksCache: fetching, now: () => Date.now() });

      // Act: three different tokens
      for (const sub of ['user-1', 'user-2', 'user-3']) await coldVerifier.verify(validToken({ sub }));

      // Assess
      expect(served).toEqual([jwksUriOf(issuer)]);
    });

    it('a token without tenant claims, with no claimed tenant and no groups', async () => {
      // Prepare
      const token = validToken();

      // Act
      const principal = await verifier.verify(token);

      // Assess
      expect(principal.claimedTenant).toBeUndefined();
      expect(principal.groups).toEqual([]);
    });

    it('a hosted-login access token whose scopes are only openid email profile', async () => {
      const principal = await verifier.verify(validToken({ scope: 'openid email profile' }));

      expect(principal.userId).toBe('user-1');
    });

    it('a token for any client in the allow-list', async () => {
      // Prepare
      const token = signToken(accessTokenClaims({ issuer, clientId: 'mobileclient2' }), poolKey);

      // Act
      const principal = await verifier.verify(token);

      // Assess
      expect(principal.clientId).toBe('mobileclient2');
    });
  });

  describe('refuses with UnauthorizedError', () => {
    const expectRefused = async (token: string) => {
      await expect(verifier.verify(token)).rejects.toBeInstanceOf(UnauthorizedError);
    };

    it('an ID token', async () => {
      await expectRefused(signToken(idTokenClaims({ issuer, clientId: CLIENT_ID }), poolKey));
    });

    it('an ID token that also carries the access-token claims', async () => {
      await expectRefused(validToken({ token_use: 'id', aud: CLIENT_ID }));
    });

    it('a token for a client outside the allow-list', async () => {
      await expectRefused(signToken(accessTokenClaims({ issuer, clientId: 'otherclient3' }), poolKey));
    });

    it('a token without client_id', async () => {
      await expectRefused(validToken({ client_id: undefined }));
    });

    it.each(foreignIssuers)('a token issued by %s', async (foreignIssuer) => {
      await expectRefused(signToken(accessTokenClaims({ issuer: foreignIssuer, clientId: CLIENT_ID }), poolKey));
    });

    it('an expired token', async () => {
      await expectRefused(
        signToken(accessTokenClaims({ issuer, clientId: CLIENT_ID, issuedAt: T0_SECONDS - 7200, lifetimeSeconds: 3600 }), poolKey),
      );
    });

    it("an expired token, keeping the library's reason as cause for the logs", async () => {
      const refused = await verifier
        .verify(signToken(accessTokenClaims({ issuer, clientId: CLIENT_ID, issuedAt: T0_SECONDS - 7200, lifetimeSeconds: 3600 }), poolKey))
        .catch((err: unknown) => err);

      expect(refused).toBeInstanceOf(UnauthorizedError);
      expect((refused as UnauthorizedError).cause).toBeInstanceOf(JwtExpiredError);
      expect((refused as UnauthorizedError).detail).toBe('A valid access token is required.');
    });

    it('a token that is not valid yet (nbf in the future)', async () => {
      await expectRefused(validToken({ nbf: T0_SECONDS + 600 }));
    });

    it('a token without exp', async () => {
      await expectRefused(validToken({ exp: undefined }));
    });

    it('a token whose payload was changed after signing', async () => {
      // Prepare
      const genuine = validToken({ tenant_id: 'tenant-a', tenant_role: 'viewer' });
      await verifier.verify(genuine);

      // Act
      const tampered = withTamperedPayload(genuine, { tenant_role: 'owner' });

      // Assess
      await expectRefused(tampered);
    });

    it('an unsigned token (alg none)', async () => {
      await expectRefused(forgeAlgNone(claims(), poolKey.kid));
    });

    it('an HS256 token keyed with the public key', async () => {
      await expectRefused(forgeHs256WithPublicKey(claims(), poolKey));
    });

    it('an HS256 token keyed with the public key even when the JWK does not pin its alg', async () => {
      // Prepare
      const unpinned = preloadedJwksCache(jwksUriOf(issuer), publicJwks([poolKey], { withAlg: false }));
      const unpinnedVerifier = createAccessTokenVerifier(config, { jwksCache: unpinned.cache, now: () => Date.now() });
      const genuine = signToken(claims(), poolKey);
      await unpinnedVerifier.verify(genuine);

      // Act
      const forged = unpinnedVerifier.verify(forgeHs256WithPublicKey(claims(), poolKey));

      // Assess
      await expect(forged).rejects.toBeInstanceOf(UnauthorizedError);
    });

    it('a token signed with a key whose kid is not in the JWKS', async () => {
      await expectRefused(signToken(claims(), strangerKey));
    });

    it("a token signed with another key under the pool key's kid", async () => {
      await expectRefused(signToken(claims(), { ...strangerKey, kid: poolKey.kid }));
    });

    it('a token without kid', async () => {
      await expectRefused(signToken(claims(), poolKey, { kid: undefined }));
    });

    it('a token without origin_jti (no session to revoke)', async () => {
      await expectRefused(validToken({ origin_jti: undefined }));
    });

    it('a token without jti', async () => {
      await expectRefused(validToken({ jti: undefined }));
    });

    it('a token with tenant_id but no tenant_role', async () => {
      await expectRefused(validToken({ tenant_id: 'tenant-a' }));
    });

    it('a token with tenant_role but no tenant_id', async () => {
      await expectRefused(validToken({ tenant_role: 'owner' }));
    });

    it.each(['superuser', 'Owner', ''])('a token with the unknown tenant_role %j', async (role) => {
      await expectRefused(validToken({ tenant_id: 'tenant-a', tenant_role: role }));
    });

    it('a token with an overlong tenant_id', async () => {
      await expectRefused(validToken({ tenant_id: 't'.repeat(65), tenant_role: 'viewer' }));
    });

    it.each(['', 'not-a-jwt', 'a.b.c', `${validToken().split('.').slice(0, 2).join('.')}.`])('the malformed token %j', async (token) => {
      await expectRefused(token);
    });
  });

  describe('cache of verified tokens', () => {
    it('keeps a verified token cached: a second verify needs no JWKS', async () => {
      // Prepare
      const token = validToken();
      const first = await verifier.verify(token);
      jwks.cache.addJwks(jwksUriOf(issuer), { keys: [] });

      // Act
      const second = await verifier.verify(token);

      // Assess
      expect(second).toEqual(first);
      // Control: the JWKS really is gone, a token not seen before no longer verifies.
      await expect(verifier.verify(validToken())).rejects.toBeInstanceOf(UnauthorizedError);
    });

    it('keeps a verified token cached until just before its exp', async () => {
      // Prepare
      const token = validToken();
      await verifier.verify(token);
      jwks.cache.addJwks(jwksUriOf(issuer), { keys: [] });
      vi.setSystemTime(T0 + 3600 * 1000 - 1);

      // Act
      const principal = await verifier.verify(token);

      // Assess
      expect(principal.userId).toBe('user-1');
    });

    it('refuses a cached token once its exp has passed', async () => {
      // Prepare
      const token = validToken();
      await verifier.verify(token);
      vi.setSystemTime(T0 + 3600 * 1000 + 1);

      // Act
      const afterExpiry = verifier.verify(token);

      // Assess
      await expect(afterExpiry).rejects.toBeInstanceOf(UnauthorizedError);
    });

    it('does not cache a refusal: a refused token stays refused and a valid one still verifies', async () => {
      // Prepare
      const forged = forgeAlgNone(claims(), poolKey.kid);
      await expect(verifier.verify(forged)).rejects.toBeInstanceOf(UnauthorizedError);

      // Act
      const again = verifier.verify(forged);

      // Assess
      await expect(again).rejects.toBeInstanceOf(UnauthorizedError);
      await expect(verifier.verify(validToken())).resolves.toMatchObject({ userId: 'user-1' });
    });
  });
});
