import {
  AssociateSoftwareTokenCommand,
  SetUserMFAPreferenceCommand,
  VerifySoftwareTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { generateSync } from 'otplib';
import { cognito } from './cognito';

/**
 * What an authenticator app shows for `secret` (Cognito's TOTP: SHA-1, six
 * digits, 30-second steps), `stepsAhead` steps from now: a sign-in right after
 * the set-up uses the next step's code, as a person would a moment later.
 */
export const totpCode = (secret: string, stepsAhead = 0): string =>
  generateSync({ secret, algorithm: 'sha1', digits: 6, period: 30, epoch: Math.floor(Date.now() / 1000) + 30 * stepsAhead });

/** TOTP set up and preferred with the user's access token, as an app's MFA screen does it; returns the shared secret. */
export const setUpTotp = async (accessToken: string): Promise<string> => {
  const { SecretCode: secret } = await cognito.send(new AssociateSoftwareTokenCommand({ AccessToken: accessToken }));
  if (!secret) throw new Error('no TOTP secret');
  await cognito.send(new VerifySoftwareTokenCommand({ AccessToken: accessToken, UserCode: totpCode(secret) }));
  await cognito.send(
    new SetUserMFAPreferenceCommand({ AccessToken: accessToken, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } }),
  );
  return secret;
};
