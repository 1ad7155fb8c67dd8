import { generateSync } from 'otplib';

/**
 * What an authenticator app shows for `secret` (Cognito's TOTP: SHA-1, six
 * digits, 30-second steps), `stepsAhead` steps from now: a sign-in right after
 * the set-up uses the next step's code, as a person would a moment later.
 */
export const totpCode = (secret: string, stepsAhead = 0): string =>
  generateSync({ secret, algorithm: 'sha1', digits: 6, period: 30, epoch: Math.floor(Date.now() / 1000) + 30 * stepsAhead });
