import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { auditPut } from '../audit/audit-store';
import { db } from '../db/client';
import { isConditionFailure } from '../db/conditions';
import { ConflictError, NotFoundError } from '../errors';
import { endInviteWrites, getInvite } from './invite-store';

/**
 * Revokes a pending invite of the tenant: marks it revoked and ends its index
 * entry in one transaction with its audit event, so the person can no longer
 * sign up or accept with it. An invite that is no longer pending is a conflict.
 */
export const revokeInvite = async (tenantId: string, inviteId: string, actorId: string, now: Date = new Date()): Promise<void> => {
  const invite = await getInvite(tenantId, inviteId, now);
  if (!invite) throw new NotFoundError('No such invite in this tenant.');
  if (invite.status !== 'pending' && invite.status !== 'expired') throw new ConflictError('The invite is no longer pending.');
  try {
    await db.send(
      new TransactWriteCommand({
        TransactItems: [
          ...endInviteWrites(invite, 'revoked', actorId, now, false),
          auditPut(tenantId, { type: 'invite.revoked', actorId, targetId: invite.inviteId, details: { email: invite.email } }, now),
        ],
      }),
    );
  } catch (err) {
    if (isConditionFailure(err)) throw new ConflictError('The invite is no longer pending.');
    throw err;
  }
};
