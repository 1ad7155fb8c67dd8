import { Amplify } from 'aws-amplify';
import { type AuthSession, decodeJWT, fetchAuthSession } from 'aws-amplify/auth';
import { cognitoUserPoolsTokenProvider } from 'aws-amplify/auth/cognito';
import type { WebConfig } from '../config';
import { MemoryStorage } from './memory-storage';
import { expiresWithin } from './token-freshness';

const storage = new MemoryStorage();
let cognitoEndpoint = '';
let appClientId = '';

/** Amplify against the configured pool, with the tokens in memory only. */
export const configureAuth = (config: WebConfig): void => {
  Amplify.configure({
    Auth: {
      Cognito: {
        userPoolId: config.cognito.userPoolId,
        userPoolClientId: config.cognito.clientId,
        ...(config.cognito.endpoint ? { userPoolEndpoint: config.cognito.endpoint } : {}),
      },
    },
  });
  cognitoUserPoolsTokenProvider.setKeyValueStorage(storage);
  cognitoEndpoint = config.cognito.endpoint ?? `https://cognito-idp.${config.region}.amazonaws.com/`;
  appClientId = config.cognito.clientId;
};

/** The app client the hosted login must be asked for (auth/company-sign-in.ts checks the discovery's URL against it). */
export const clientId = (): string => appClientId;

/**
 * Hands Amplify the tokens of a sign-in it did not run itself (the hosted
 * login's code exchange, auth/company-sign-in.ts), through its own token store:
 * the same in-memory keys a password sign-in fills, so fetchAuthSession, the
 * refresh before expiry (Cognito's GetTokensFromRefreshToken with this refresh
 * token) and signOut (RevokeToken, then the keys cleared) work for it alike.
 * No OAuth metadata is stored, so signOut does not try Amplify's redirect
 * sign-out, which this app does not configure.
 */
export const adoptTokens = async (tokens: { accessToken: string; idToken: string; refreshToken: string }): Promise<void> => {
  const accessToken = decodeJWT(tokens.accessToken);
  const username = accessToken.payload.username;
  if (typeof username !== 'string' || username === '') throw new Error('The sign-in answered an access token without a user.');
  const issuedAt = (accessToken.payload.iat ?? 0) * 1000;
  await cognitoUserPoolsTokenProvider.tokenOrchestrator.setTokens({
    tokens: {
      accessToken,
      idToken: decodeJWT(tokens.idToken),
      refreshToken: tokens.refreshToken,
      // As Amplify's own sign-in computes it: Cognito's time minus this device's.
      clockDrift: issuedAt > 0 ? issuedAt - Date.now() : 0,
      username,
    },
  });
};

/** Whether this session came from the organization's identity provider (the ID token's `identities` claim). */
export const isFederated = async (): Promise<boolean> => {
  const identities = (await fetchAuthSession()).tokens?.idToken?.payload.identities;
  return Array.isArray(identities) && identities.length > 0;
};

/**
 * Turns passkey MFA on for the signed-in user (Cognito's SetUserMFAPreference with
 * WebAuthnMfaSettings, which Amplify's updateMFAPreference does not send): a passkey
 * sign-in with user verification then counts as the second step.
 */
export const enablePasskeyMfa = async (): Promise<void> => {
  const token = await accessToken();
  if (!token) throw new Error('Sign in first.');
  const res = await fetch(cognitoEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSCognitoIdentityProviderService.SetUserMFAPreference' },
    body: JSON.stringify({ AccessToken: token, WebAuthnMfaSettings: { Enabled: true } }),
  });
  if (!res.ok)
    throw new Error(((await res.json().catch(() => ({}))) as { message?: string }).message ?? 'Passkey MFA could not be turned on.');
};

/** One refresh at a time: parallel requests near expiry share it instead of each spending the refresh token. */
let refreshing: Promise<AuthSession> | undefined;

const refreshed = (): Promise<AuthSession> => {
  refreshing ??= fetchAuthSession({ forceRefresh: true }).finally(() => {
    refreshing = undefined;
  });
  return refreshing;
};

/**
 * The access token for the next API call, refreshed first when it expires
 * within a minute by Cognito's clock; undefined when signed out (or the refresh was refused, e.g.
 * after signing out everywhere).
 */
export const accessToken = async (): Promise<string | undefined> => {
  let token = (await fetchAuthSession()).tokens?.accessToken;
  if (token && expiresWithin(token.payload.exp, Date.now() + storage.clockDriftMs())) token = (await refreshed()).tokens?.accessToken;
  return token?.toString();
};

/** New tokens now, e.g. after switching tenant: the claims come from the membership at refresh time. */
export const refreshTokens = async (): Promise<void> => {
  await refreshed();
};

export const isSignedIn = async (): Promise<boolean> => (await accessToken()) !== undefined;
