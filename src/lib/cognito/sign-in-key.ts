import { createHash } from 'node:crypto';
import type { PostAuthenticationEvent } from './trigger-events';

/**
 * How long an audited sign-in holds off an identical one. Cognito waits 5 s for
 * PostAuthentication and then calls it again with the same event, while the
 * first call may still be running; the retry then takes up to its own 5-s
 * function timeout to write. 10 s covers that retry.
 *
 * The price: the event carries nothing unique to one sign-in, so real sign-ins
 * of one user through one app client, with the same device flag and client
 * metadata, less than 10 s apart are audited as one. The log still shows the
 * user signed in then; only the count within those seconds is lost. A longer
 * window folds more real sign-ins, a shorter one lets a late retry write a
 * second event. A client that wants every sign-in counted sends a per-sign-in
 * value in ClientMetadata (Cognito passes it on from RespondToAuthChallenge).
 */
export const SIGN_IN_DEDUPE_SECONDS = 10;

const byKey = ([a]: [string, string], [b]: [string, string]): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * What tells one sign-in from another in a PostAuthentication event, hashed:
 * pool, user, app client, new-device flag and client metadata (sorted, so key
 * order does not matter). Cognito's retry of a call hashes the same.
 */
export const signInHash = (event: PostAuthenticationEvent): string => {
  const metadata = Object.entries(event.request.clientMetadata ?? {}).sort(byKey);
  const parts = [
    event.userPoolId,
    event.request.userAttributes.sub,
    event.callerContext.clientId ?? null,
    event.request.newDeviceUsed ?? false,
    metadata,
  ];
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url');
};
