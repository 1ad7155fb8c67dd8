import { setTimeout as sleep } from 'node:timers/promises';
import { tryCommit } from '../db/transaction';
import { ConflictError } from '../errors';
import { getUserRecord } from '../users/user-store';
import { acceptInviteWrites } from './accept-invite';
import { newestInvite } from './invite';
import { findPendingInvites } from './invite-store';

/** Concurrent deliveries can cancel each other's transaction; one of a few tries lands. */
const CONFLICT_ATTEMPTS = 3;
const CONFLICT_BACKOFF_MS = 25;

export type SignUpAcceptance = { tenantId: string; role: string; replayed: boolean };

/**
 * Accepts the invite that let a person sign up (PostConfirmation). A retried
 * or concurrent delivery finds the membership already there and changes
 * nothing, so a confirmed sign-up yields exactly one membership. When several
 * tenants invited the person, the newest invite is accepted; the others stay
 * pending for GET /me/invites.
 */
export const acceptInviteOnSignUp = async (user: { userId: string; email: string }, now: Date = new Date()): Promise<SignUpAcceptance> => {
  const existing = await alreadyAccepted(user.userId);
  if (existing) return existing;

  const invite = newestInvite(await findPendingInvites(user.email, now));
  if (!invite) throw new ConflictError('No pending invitation for this email address.');

  const { items } = acceptInviteWrites(invite, user, now, [
    { type: 'auth.signup', actorId: user.userId, targetId: user.userId, details: { email: user.email } },
    { type: 'invite.accepted', actorId: user.userId, targetId: invite.inviteId, details: { role: invite.role } },
  ]);
  for (let attempt = 1; ; attempt += 1) {
    const result = await tryCommit(items);
    if (result.ok) break;
    // A concurrent delivery of the same confirmation won the race: its membership is the one.
    const raced = await alreadyAccepted(user.userId);
    if (raced) return raced;
    // Both were cancelled by each other (TransactionConflict) and neither landed: try again.
    if (result.reason !== 'conflict' || attempt >= CONFLICT_ATTEMPTS) throw new ConflictError('The invitation could not be accepted.');
    await sleep(CONFLICT_BACKOFF_MS * attempt);
  }
  return { tenantId: invite.tenantId, role: invite.role, replayed: false };
};

const alreadyAccepted = async (userId: string): Promise<SignUpAcceptance | undefined> => {
  const { memberships } = await getUserRecord(userId);
  const first = memberships[0];
  return first ? { tenantId: first.tenantId, role: first.role, replayed: true } : undefined;
};
