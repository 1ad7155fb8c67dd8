import { CognitoIdentityClient, GetIdCommand, NotAuthorizedException } from '@aws-sdk/client-cognito-identity';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { AuthConfig } from '../../../../src/lib/auth/auth-config';
import type { Caller } from '../../../../src/lib/auth/caller';
import { createIdTokenVerifier, loginsProviderName } from '../../../../src/lib/auth/id-token';
import { ConflictError, ForbiddenError } from '../../../../src/lib/errors';
import { storageIdentityRegistrar } from '../../../../src/lib/users/storage-identity';
import { ddbMock } from '../../support/dynamodb';
import { TEST_CLIENT_IDS, TEST_IDENTITY_POOL_ID, TEST_REGION, TEST_USER_POOL_ID } from '../../support/test-env';
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
} from '../../support/tokens';

const identityMock = mockClient(CognitoIdentityClient);

const poolKey = generateSigningKey('pool-key-1');
const strangerKey = generateSigningKey('stranger-key-1');
const USER = 'user-1';
const IDENTITY = 'eu-west-1:1f0e2d3c-4b5a-4978-8695-a4b3c2d1e0f9';
const awsIssuer = cognitoIssuer(TEST_USER_POOL_ID);
const localIssuer = `http://127.0.0.1:9229/${TEST_USER_POOL_ID}`;
const baseConfig = { userPoolId: TEST_USER_POOL_ID, clientIds: [...TEST_CLIENT_IDS], region: TEST_REGION, cacheMillis: 4000 };

const caller: Caller = { userId: USER, sessionId: 'session-1', clientId: 'webclient1', isPlatformAdmin: false };

const setups: { name: string; config: AuthConfig; issuer: string; providerName: string }[] = [
  {
    name: 'AWS pool issuer',
    config: { ...baseConfig, localIssuer: undefined },
    issuer: awsIssuer,
    providerName: `cognito-idp.eu-west-1.amazonaws.com/${TEST_USER_POOL_ID}`,
  },
  {
    name: 'local emulator issuer',
    config: { ...baseConfig, localIssuer },
    issuer: localIssuer,
    providerName: `127.0.0.1:9229/${TEST_USER_POOL_ID}`,
  },
];

describe.each(setups)('registering a storage identity with the $name', ({ config, issuer, providerName }) => {
  const idToken = (extra: Record<string, unknown> = {}, key = poolKey) =>
    signToken(idTokenClaims({ issuer, clientId: 'webclient1', sub: USER }, extra), key);
  const register = storageIdentityRegistrar(
    createIdTokenVerifier(config, { jwksCache: preloadedJwksCache(jwksUriOf(issuer), publicJwks([poolKey])).cache }),
    loginsProviderName(config),
  );

  beforeEach(() => {
    ddbMock.reset();
    identityMock.reset();
    identityMock.on(GetIdCommand).resolves({ IdentityId: IDENTITY });
    ddbMock.on(TransactWriteCommand).resolves({});
  });

  it("stores the identity GetId answers for the caller's ID token, both ways in one transaction", async () => {
    // Prepare
    const token = idToken();

    // Act
    const result = await register(caller, token, new Date('2025-06-02T09:00:00.000Z'));

    // Assess
    expect(result).toEqual({ identityId: IDENTITY });
    expect(identityMock.commandCalls(GetIdCommand)[0]?.args[0].input).toEqual({
      IdentityPoolId: TEST_IDENTITY_POOL_ID,
      Logins: { [providerName]: token },
    });
    const items = ddbMock.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(items.map((item) => item.Put?.Item)).toEqual([
      expect.objectContaining({ pk: `IDENTITY#${IDENTITY}`, sk: 'OWNER', userId: USER }),
      expect.objectContaining({ pk: `USER#${USER}`, sk: 'STORAGE_IDENTITY', identityId: IDENTITY }),
    ]);
    expect(items[0]?.Put?.ConditionExpression).toBe('attribute_not_exists(pk) OR userId = :userId');
  });

  it.each([
    ['another user’s ID token', () => idToken({ sub: 'user-2' })],
    ['an access token', () => signToken(accessTokenClaims({ issuer, clientId: 'webclient1', sub: USER }), poolKey)],
    ['an ID token of a client the API does not allow', () => idToken({ aud: 'otherclient' })],
    ['an ID token of another issuer', () => idToken({ iss: cognitoIssuer('eu-west-1_OtherPool9') })],
    ['an expired ID token', () => idToken({ exp: Math.floor(Date.now() / 1000) - 60 })],
    ['an ID token signed with another key', () => idToken({}, strangerKey)],
    ['an unsigned token (alg none)', () => forgeAlgNone(idTokenClaims({ issuer, clientId: 'webclient1', sub: USER }), poolKey.kid)],
    [
      'an HS256 token keyed with the public key',
      () => forgeHs256WithPublicKey(idTokenClaims({ issuer, clientId: 'webclient1', sub: USER }), poolKey),
    ],
  ])('refuses %s with 403 and stores nothing', async (_case, token) => {
    // Act
    const registering = register(caller, token());

    // Assess
    await expect(registering).rejects.toBeInstanceOf(ForbiddenError);
    expect(identityMock.commandCalls(GetIdCommand)).toHaveLength(0);
    expect(ddbMock.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('refuses a token the identity pool refuses (a signed-out user) with 403 and stores nothing', async () => {
    // Prepare
    identityMock.on(GetIdCommand).rejects(new NotAuthorizedException({ message: 'Token is not from a supported provider', $metadata: {} }));

    // Act
    const registering = register(caller, idToken());

    // Assess
    await expect(registering).rejects.toBeInstanceOf(ForbiddenError);
    expect(ddbMock.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('refuses to take over an identity registered to another user', async () => {
    // Prepare
    ddbMock.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({
        message: 'Transaction cancelled',
        $metadata: {},
        CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }],
      }),
    );

    // Act
    const registering = register(caller, idToken());

    // Assess
    await expect(registering).rejects.toBeInstanceOf(ConflictError);
  });
});
