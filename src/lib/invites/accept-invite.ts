import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditInput } from '../audit/audit-event';
import { auditPut } from '../audit/audit-store';
import { db } from '../db/client';
import { isConditionFailure } from '../db/conditions';
import { ConflictError, NotFoundError } from '../errors';
import { newMembershipWrites } from '../members/membership';
import { getUserRecord } from '../users/user-store';
import { type IndexedInvite, isUnexpired } from './invite';
import { endInviteWrites, findInvitesOfEmail } from './invite-store';

export type AcceptingUser = { userId: string; email: string };
export type Meta = { ip?: string; userAgent?: string };

/**
 * Turns a pending invite into a membership in one transaction: the invite and
 * its index entry end as accepted (only if still pending and unexpired), the
 * membership and the user's view of it are created (only if new), the owner
 * count follows, and the audit events are written. Either all of it or none.
 */
export const acceptInviteTransaction = (
  invite: IndexedInvite,
  user: AcceptingUser,
  now: Date,
  extraEvents: AuditInput[] = [],
  meta: Meta = {},
) =>
  new TransactWriteCommand({
    TransactItems: [
      ...endInviteWrites(invite, 'accepted', user.userId, now, true),
      ...newMembershipWrites(
        { tenantId: invite.tenantId, tenantName: invite.tenantName, userId: user.userId, email: user.email, role: invite.role },
        now,
      ),
      ...extraEvents.map((e) => auditPut(invite.tenantId, e, now)),
      auditPut(
        invite.tenantId,
        { type: 'invite.accepted', actorId: user.userId, targetId: invite.inviteId, details: { role: invite.role }, ...meta },
        now,
      ),
    ],
  });

/** POST /me/invites/{inviteId}/accept: a signed-in person accepts an invite addressed to their verified email. */
export const acceptInviteForUser = async (user: AcceptingUser, inviteId: string, meta: Meta, now: Date = new Date()) => {
  const invite = (await findInvitesOfEmail(user.email)).find((i) => i.inviteId === inviteId);
  if (!invite) throw new NotFoundError('No such invite for your email address.');
  if (invite.status !== 'pending') throw new ConflictError('The invite is no longer pending.');
  if (!isUnexpired(invite, now)) throw new ConflictError('The invite has expired.');
  try {
    await db.send(acceptInviteTransaction(invite, user, now, [], meta));
  } catch (err) {
    if (isConditionFailure(err)) {
      const { memberships } = await getUserRecord(user.userId);
      if (memberships.some((m) => m.tenantId === invite.tenantId)) throw new ConflictError('You are already a member of this tenant.');
      throw new ConflictError('The invite is no longer pending.');
    }
    throw err;
  }
  return { tenantId: invite.tenantId, tenantName: invite.tenantName, role: invite.role };
};
