import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  CreateUserPoolClientCommand,
  type CreateUserPoolClientCommandInput,
  DescribeUserPoolClientCommand,
  GetTokensFromRefreshTokenCommand,
  GlobalSignOutCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { describe, expect, it } from 'vitest';
import { api } from '../support/api';
import { cognito, decodeJwt, refresh, signIn } from '../support/cognito';
import { stack, stateDir } from '../support/stack';
import { tenantWithOwner } from '../support/world';

/**
 * The local Cognito keeps sessions as Cognito does, so that what a client
 * library or our API relies on (a signed-out or disabled user cannot get new
 * tokens) holds locally too.
 */

const INVALID_REFRESH_TOKEN = { name: 'NotAuthorizedException', message: 'Invalid Refresh Token' };
const USER_IS_DISABLED = { name: 'NotAuthorizedException', message: 'User is disabled.' };

/** The API aws-amplify ≥ 6.15 refreshes with. */
const tokensFromRefreshToken = async (refreshToken: string, clientId = stack.cognito.clientId, clientMetadata?: Record<string, string>) => {
  const out = await cognito.send(
    new GetTokensFromRefreshTokenCommand({ ClientId: clientId, RefreshToken: refreshToken, ClientMetadata: clientMetadata }),
  );
  const r = out.AuthenticationResult;
  if (!r?.AccessToken || !r.IdToken) throw new Error('GetTokensFromRefreshToken returned no tokens');
  return { accessToken: r.AccessToken, idToken: r.IdToken, refreshToken: r.RefreshToken };
};

/** Another app client of the stack's pool, made like the stack's own (flows, token validity), with `changes`. */
const clientLikeTheStacks = async (
  name: string,
  changes: (base: CreateUserPoolClientCommandInput) => Partial<CreateUserPoolClientCommandInput>,
) => {
  const { UserPoolClient: own } = await cognito.send(
    new DescribeUserPoolClientCommand({ UserPoolId: stack.cognito.userPoolId, ClientId: stack.cognito.clientId }),
  );
  const base: CreateUserPoolClientCommandInput = {
    UserPoolId: stack.cognito.userPoolId,
    ClientName: name,
    ExplicitAuthFlows: own?.ExplicitAuthFlows,
    AccessTokenValidity: own?.AccessTokenValidity,
    IdTokenValidity: own?.IdTokenValidity,
    RefreshTokenValidity: own?.RefreshTokenValidity,
    TokenValidityUnits: own?.TokenValidityUnits,
  };
  const out = await cognito.send(new CreateUserPoolClientCommand({ ...base, ...changes(base) }));
  const id = out.UserPoolClient?.ClientId;
  if (!id) throw new Error('no app client created');
  return id;
};

/** Cognito allows no REFRESH_TOKEN_AUTH on a client that rotates refresh tokens. */
const rotatingClient = (name: string, retryGracePeriodSeconds: number) =>
  clientLikeTheStacks(name, (base) => ({
    ExplicitAuthFlows: base.ExplicitAuthFlows?.filter((flow) => flow !== 'ALLOW_REFRESH_TOKEN_AUTH'),
    RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: retryGracePeriodSeconds },
  }));

type TriggerEvent = {
  at: string;
  triggerSource: string;
  clientId: string | null;
  userName: string;
  clientMetadata: Record<string, string> | null;
};

/** What the emulator handed the triggers since `since` (scripts/local/cognito-server.cjs writes one line an event). */
const triggerEventsSince = (since: string): TriggerEvent[] =>
  fs
    .readFileSync(path.join(stateDir, 'logs', 'cognito-triggers.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as TriggerEvent)
    .filter((e) => e.at >= since);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('GetTokensFromRefreshToken', () => {
  it('renews a session: working tokens with the tenant claims, the same origin_jti, ClientMetadata handed to PreTokenGeneration', async () => {
    // Prepare
    const { tenantId, owner } = await tenantWithOwner('Renewed');
    const since = new Date().toISOString();
    const marker = randomUUID();

    // Act
    const renewed = await tokensFromRefreshToken(owner.refreshToken, stack.cognito.clientId, { renewal: marker });

    // Assess: the stack's client (like the deployed one) does not rotate, so no new refresh token
    expect(renewed.refreshToken).toBeUndefined();
    const sessionId = decodeJwt(owner.accessToken).origin_jti;
    expect(decodeJwt(renewed.accessToken)).toMatchObject({
      token_use: 'access',
      tenant_id: tenantId,
      tenant_role: 'owner',
      origin_jti: sessionId,
    });
    expect(decodeJwt(renewed.idToken)).toMatchObject({ token_use: 'id', tenant_id: tenantId, tenant_role: 'owner', origin_jti: sessionId });
    expect((await api('/me', { token: renewed.accessToken })).status).toBe(200);
    const username = String(decodeJwt(owner.accessToken).username);
    expect(triggerEventsSince(since).filter((e) => e.userName === username)).toEqual([
      expect.objectContaining({ triggerSource: 'TokenGeneration_RefreshTokens', clientMetadata: { renewal: marker } }),
    ]);
  });

  it('refuses an unknown refresh token', async () => {
    const { owner } = await tenantWithOwner('Unknown token');

    await expect(tokensFromRefreshToken(`${owner.refreshToken}x`)).rejects.toMatchObject(INVALID_REFRESH_TOKEN);
    await expect(tokensFromRefreshToken('not-a-token')).rejects.toMatchObject(INVALID_REFRESH_TOKEN);
  });

  it('rotates the refresh token on a client with rotation on, and with no grace period the old one dies at once', async () => {
    // Prepare
    const { owner } = await tenantWithOwner('Rotated');
    const clientId = await rotatingClient('rotating-no-grace', 0);
    const first = await signIn(owner.email, clientId);

    // Act
    const second = await tokensFromRefreshToken(first.refreshToken, clientId);

    // Assess
    expect(second.refreshToken).toEqual(expect.any(String));
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(decodeJwt(second.accessToken).origin_jti).toBe(decodeJwt(first.accessToken).origin_jti);
    await expect(tokensFromRefreshToken(first.refreshToken, clientId)).rejects.toMatchObject(INVALID_REFRESH_TOKEN);
    const third = await tokensFromRefreshToken(String(second.refreshToken), clientId);
    expect(third.refreshToken).toEqual(expect.any(String));
    expect(decodeJwt(third.accessToken)).toMatchObject({ sub: owner.userId, client_id: clientId, tenant_role: 'owner' });
    // Rotation is done with GetTokensFromRefreshToken only: Cognito refuses REFRESH_TOKEN_AUTH on such a client
    await expect(refresh(String(third.refreshToken), clientId)).rejects.toMatchObject({ name: 'InvalidParameterException' });
  });

  it('keeps the rotated-out refresh token working for a retry within the grace period, and not after', async () => {
    // Prepare
    const { owner } = await tenantWithOwner('Graced');
    const clientId = await rotatingClient('rotating-1s-grace', 1);
    const first = await signIn(owner.email, clientId);
    const second = await tokensFromRefreshToken(first.refreshToken, clientId);

    // Act: the client lost the answer and retries with the old token at once, then too late
    const retried = await tokensFromRefreshToken(first.refreshToken, clientId);
    await sleep(1200);

    // Assess
    expect(decodeJwt(retried.accessToken).origin_jti).toBe(decodeJwt(first.accessToken).origin_jti);
    await expect(tokensFromRefreshToken(first.refreshToken, clientId)).rejects.toMatchObject(INVALID_REFRESH_TOKEN);
    expect((await tokensFromRefreshToken(String(second.refreshToken), clientId)).refreshToken).toEqual(expect.any(String));
  });
});

describe('GlobalSignOut', () => {
  it('ends every refresh token of the user, from every sign-in, for both refresh APIs; a new sign-in works', async () => {
    // Prepare: two sessions
    const { owner } = await tenantWithOwner('Signed out');
    const other = await signIn(owner.email);

    // Act: the user's own call, as Amplify's signOut({ global: true }) makes it
    await cognito.send(new GlobalSignOutCommand({ AccessToken: other.accessToken }));

    // Assess
    for (const refreshToken of [owner.refreshToken, other.refreshToken]) {
      await expect(refresh(refreshToken)).rejects.toMatchObject({ name: 'NotAuthorizedException' });
      await expect(tokensFromRefreshToken(refreshToken)).rejects.toMatchObject(INVALID_REFRESH_TOKEN);
    }
    const fresh = await signIn(owner.email);
    expect(decodeJwt((await tokensFromRefreshToken(fresh.refreshToken)).accessToken).sub).toBe(owner.userId);
  });

  it('refuses anything but a valid access token of the pool, and ends nothing', async () => {
    // Prepare
    const { owner } = await tenantWithOwner('Not signed out');
    const [header, payload, signature] = owner.accessToken.split('.');
    const forged = Buffer.from(JSON.stringify({ ...decodeJwt(owner.accessToken), exp: 4102444800 })).toString('base64url');

    // Act + Assess
    for (const accessToken of [owner.idToken, `${header}.${forged}.${signature}`, `${header}.${payload}.${signature?.slice(0, -4)}AAAA`]) {
      await expect(cognito.send(new GlobalSignOutCommand({ AccessToken: accessToken }))).rejects.toMatchObject({
        name: 'NotAuthorizedException',
      });
    }
    expect(decodeJwt((await refresh(owner.refreshToken)).accessToken).sub).toBe(owner.userId);
  });
});

describe('refresh-token expiry', () => {
  it("refuses a refresh token past the app client's RefreshTokenValidity on both refresh APIs", async () => {
    // Prepare: a client whose refresh tokens live 2 s (Cognito's minimum is 60 min; the emulator takes less, for this test)
    const { owner } = await tenantWithOwner('Expired');
    const clientId = await clientLikeTheStacks('short-refresh', (base) => ({
      RefreshTokenValidity: 2,
      TokenValidityUnits: { ...base.TokenValidityUnits, RefreshToken: 'seconds' },
    }));
    const session = await signIn(owner.email, clientId);
    const signedInAt = Date.now();
    expect(decodeJwt((await tokensFromRefreshToken(session.refreshToken, clientId)).accessToken).sub).toBe(owner.userId);

    // Act: the token was issued before signedInAt, so 2 s later it has run out
    await sleep(Math.max(0, signedInAt + 2050 - Date.now()));

    // Assess
    await expect(refresh(session.refreshToken, clientId)).rejects.toMatchObject(INVALID_REFRESH_TOKEN);
    await expect(tokensFromRefreshToken(session.refreshToken, clientId)).rejects.toMatchObject(INVALID_REFRESH_TOKEN);
  });
});

describe('disabled users', () => {
  it('refuses sign-in (before any trigger runs) and refresh while disabled, and allows both once enabled again', async () => {
    // Prepare
    const { owner } = await tenantWithOwner('Disabled');
    const username = String(decodeJwt(owner.accessToken).username);
    const user = { UserPoolId: stack.cognito.userPoolId, Username: owner.email };

    // Act
    await cognito.send(new AdminDisableUserCommand(user));
    const since = new Date().toISOString();

    // Assess
    await expect(signIn(owner.email)).rejects.toMatchObject(USER_IS_DISABLED);
    await expect(refresh(owner.refreshToken)).rejects.toMatchObject(USER_IS_DISABLED);
    await expect(tokensFromRefreshToken(owner.refreshToken)).rejects.toMatchObject(USER_IS_DISABLED);
    expect(triggerEventsSince(since).filter((e) => e.userName === username)).toEqual([]);

    // Act: enabled again
    await cognito.send(new AdminEnableUserCommand(user));

    // Assess
    const again = await signIn(owner.email);
    expect(decodeJwt((await refresh(again.refreshToken)).accessToken).sub).toBe(owner.userId);
    expect(decodeJwt((await tokensFromRefreshToken(again.refreshToken)).accessToken).sub).toBe(owner.userId);
  });
});
