import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import * as z from 'zod';
import { ENV } from '../env-names';
import { optional, readConfig } from '../read-config';

const cognitoConfig = readConfig(
  'Cognito',
  z.object({ [ENV.cognitoEndpoint]: optional(z.url()) }).transform((c) => ({ endpoint: c[ENV.cognitoEndpoint] })),
);

// Created on first use: only session endings call Cognito, and the client costs cold-start time.
let client: CognitoIdentityProviderClient | undefined;
const cognito = async () => {
  const { CognitoIdentityProviderClient } = await import('@aws-sdk/client-cognito-identity-provider');
  client ??= new CognitoIdentityProviderClient(
    cognitoConfig.endpoint ? { endpoint: cognitoConfig.endpoint, maxAttempts: 3 } : { maxAttempts: 3 },
  );
  return client;
};

/** Cognito revokes one refresh token of an app client (and the tokens it issued, for Cognito's own APIs). */
export const revokeRefreshToken = async (clientId: string, token: string): Promise<void> => {
  const { RevokeTokenCommand } = await import('@aws-sdk/client-cognito-identity-provider');
  await (await cognito()).send(new RevokeTokenCommand({ ClientId: clientId, Token: token }));
};

/** Every refresh token of the user stops working (AdminUserGlobalSignOut): no session of theirs gets new tokens. */
export const signOutEverywhere = async (userPoolId: string, username: string): Promise<void> => {
  const { AdminUserGlobalSignOutCommand } = await import('@aws-sdk/client-cognito-identity-provider');
  await (await cognito()).send(new AdminUserGlobalSignOutCommand({ UserPoolId: userPoolId, Username: username }));
};

/** A confirmed password account of the pool (not one an identity provider created), found by its email. */
export type PasswordAccount = { username: string; userId: string };

/** Escapes a value for ListUsers' filter syntax (`attribute = "value"`). */
const filterValue = (value: string): string => value.replace(/\\/g, '\\\\').replace(/"/g, '\\"');

export const findPasswordAccount = async (userPoolId: string, email: string): Promise<PasswordAccount | undefined> => {
  const { ListUsersCommand } = await import('@aws-sdk/client-cognito-identity-provider');
  const out = await (await cognito()).send(
    new ListUsersCommand({ UserPoolId: userPoolId, Filter: `email = "${filterValue(email)}"`, Limit: 10 }),
  );
  // Confirmed only: an unconfirmed sign-up has no profile or membership yet, and linking it would
  // leave nothing that ties the provider's sign-ins to the provider's tenant.
  const own = (out.Users ?? []).find((u) => u.UserStatus === 'CONFIRMED' && u.Username);
  const sub = own?.Attributes?.find((a) => a.Name === 'sub')?.Value;
  return own?.Username && sub ? { username: own.Username, userId: sub } : undefined;
};

/** Links an identity provider's subject to a password account: signing in through the provider then signs in as that account. */
export const linkProviderToAccount = async (userPoolId: string, username: string, providerName: string, subject: string): Promise<void> => {
  const { AdminLinkProviderForUserCommand } = await import('@aws-sdk/client-cognito-identity-provider');
  await (await cognito()).send(
    new AdminLinkProviderForUserCommand({
      UserPoolId: userPoolId,
      DestinationUser: { ProviderName: 'Cognito', ProviderAttributeValue: username },
      SourceUser: { ProviderName: providerName, ProviderAttributeName: 'Cognito_Subject', ProviderAttributeValue: subject },
    }),
  );
};
