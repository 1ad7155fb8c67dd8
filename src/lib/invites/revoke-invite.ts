import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { auditPut } from '../audit/audit-store';
import { db, tableName } from '../db/client';
import { isConditionFailure } from '../db/conditions';
import { inviteKey, pendingInviteKey } from '../db/keys';
import { ConflictError } from '../errors';

/**
 * Revokes a pending invite: marks it revoked and drops it from the pending
 * index in one transaction with its audit event, so the person can no longer
 * sign up or accept with it. An invite that is no longer pending is a conflict.
 */
export const revokeInvite = async (
  tenantId: string,
  invite: { inviteId: string; email: string },
  actorId: string,
  now: Date = new Date(),
): Promise<void> => {
  try {
    await db.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: tableName,
              Key: inviteKey(tenantId, invite.inviteId),
              UpdateExpression: 'SET #status = :revoked, revokedBy = :actor, revokedAt = :now',
              ConditionExpression: '#status = :pending',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ':revoked': 'revoked', ':pending': 'pending', ':actor': actorId, ':now': now.toISOString() },
            },
          },
          {
            Delete: {
              TableName: tableName,
              Key: pendingInviteKey(tenantId, invite.email),
              ConditionExpression: 'inviteId = :inviteId',
              ExpressionAttributeValues: { ':inviteId': invite.inviteId },
            },
          },
          auditPut(tenantId, { type: 'invite.revoked', actorId, targetId: invite.inviteId, details: { email: invite.email } }, now),
        ],
      }),
    );
  } catch (err) {
    if (isConditionFailure(err)) throw new ConflictError('The invite is no longer pending.');
    throw err;
  }
};
