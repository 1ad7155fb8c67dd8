import * as z from 'zod';
import { ENV } from '../env-names';
import { readConfig } from '../read-config';
import { findKnownUser } from '../users/active-membership';
import { recordAllSessionsEnded } from './end-all-sessions';

/** The pool whose users' sign-outs this stage honours. */
const poolConfig = readConfig(
  'user pool',
  z.object({ [ENV.userPoolId]: z.string().min(1) }).transform((c) => ({ userPoolId: c[ENV.userPoolId] })),
);

/** A user's own GlobalSignOut at Cognito, as CloudTrail reported it. */
export type CognitoSignOut = {
  /** CloudTrail's id of the event: the same on every delivery of it. */
  eventId: string;
  /** The call failed (Cognito signed nobody out). */
  failed: boolean;
  userId: string | undefined;
  /** Present in some events only. */
  userPoolId: string | undefined;
  /** When Cognito signed the user out. */
  at: Date;
  client: { ip?: string; userAgent?: string };
};

export type SignOutOutcome = 'recorded' | 'already-recorded' | 'failed-call' | 'another-pool' | 'unknown-user';

/**
 * Honours a user's own GlobalSignOut: Cognito already ended their refresh
 * tokens, so what is left is the API's side, as `POST /sessions/revoke`
 * `{ scope: "all" }` records it (no second sign-out at Cognito). The ending
 * is recorded at the time of the call, not of the delivery, so sessions the
 * user began after signing out survive a late delivery; never later than
 * now, since a marker in the future would refuse sessions not yet begun.
 * A delivery of the same event again records nothing twice. Calls that
 * signed nobody out of this stage's pool are not recorded, and say why.
 */
export const honourCognitoSignOut = async (signOut: CognitoSignOut, now: Date = new Date()): Promise<SignOutOutcome> => {
  if (signOut.failed) return 'failed-call';
  if (signOut.userPoolId !== undefined && signOut.userPoolId !== poolConfig.userPoolId) return 'another-pool';
  if (signOut.userId === undefined) throw new Error('A GlobalSignOut event that succeeded names no user.');
  const user = await findKnownUser(signOut.userId);
  if (!user) return 'unknown-user';
  const { recorded } = await recordAllSessionsEnded({
    userId: signOut.userId,
    actor: { actorId: signOut.userId, ...signOut.client },
    auditTenantId: user.activeMembership?.tenantId,
    reason: 'cognito-global-sign-out',
    at: new Date(Math.min(signOut.at.getTime(), now.getTime())),
    eventId: signOut.eventId,
  });
  return recorded ? 'recorded' : 'already-recorded';
};
