import { randomUUID } from 'node:crypto';
import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Role } from '../auth/roles';
import { config } from '../config';
import { db, tableName } from '../db/client';
import { itemIsNew } from '../db/conditions';
import { inviteKey, pendingInviteKey, pendingInvitesOfEmail } from '../db/keys';
import { type Invite, inviteExpiry, isUnexpired, type PendingInvite } from './invite';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** Pending, unexpired invites addressed to an email, read strongly consistent. */
export const findPendingInvites = async (email: string, now: Date): Promise<PendingInvite[]> => {
  const prefix = pendingInvitesOfEmail(email);
  const out = await db.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
      ExpressionAttributeValues: { ':pk': prefix.pk, ':sk': prefix.sk },
      ConsistentRead: true,
    }),
  );
  return (out.Items ?? []).map((i) => i as PendingInvite).filter((i) => isUnexpired(i, now));
};

export type NewInvite = { tenantId: string; tenantName: string; email: string; role: Role; invitedBy: string };

/**
 * The writes that create an invite. The pending-invite index item is keyed by
 * tenant and email, so a second pending invite for the same email in the same
 * tenant fails its condition (an expired one may be replaced).
 */
export const newInviteWrites = (input: NewInvite, now: Date): { invite: Invite; writes: TransactItem[] } => {
  const invite: Invite = {
    inviteId: randomUUID(),
    tenantId: input.tenantId,
    email: input.email,
    role: input.role,
    status: 'pending',
    expiresAt: inviteExpiry(now, config.inviteTtlDays),
    createdAt: now.toISOString(),
  };
  const pending: PendingInvite = {
    inviteId: invite.inviteId,
    tenantId: invite.tenantId,
    tenantName: input.tenantName,
    email: invite.email,
    role: invite.role,
    expiresAt: invite.expiresAt,
    createdAt: invite.createdAt,
  };
  const expiresAtEpoch = Math.floor(Date.parse(invite.expiresAt) / 1000);
  return {
    invite,
    writes: [
      {
        Put: {
          TableName: tableName,
          Item: { ...inviteKey(invite.tenantId, invite.inviteId), entity: 'invite', invitedBy: input.invitedBy, ...invite },
          ConditionExpression: itemIsNew,
        },
      },
      {
        Put: {
          TableName: tableName,
          Item: { ...pendingInviteKey(invite.tenantId, invite.email), entity: 'pendingInvite', ttl: expiresAtEpoch, ...pending },
          ConditionExpression: `${itemIsNew} OR expiresAt < :now`,
          ExpressionAttributeValues: { ':now': now.toISOString() },
        },
      },
    ],
  };
};

/** The writes that mark a pending invite accepted and drop it from the pending index. */
export const acceptInviteWrites = (invite: PendingInvite, userId: string, now: Date): TransactItem[] => [
  {
    Update: {
      TableName: tableName,
      Key: inviteKey(invite.tenantId, invite.inviteId),
      UpdateExpression: 'SET #status = :accepted, acceptedBy = :user, acceptedAt = :now',
      ConditionExpression: '#status = :pending AND expiresAt > :now',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':accepted': 'accepted', ':pending': 'pending', ':user': userId, ':now': now.toISOString() },
    },
  },
  {
    Delete: {
      TableName: tableName,
      Key: pendingInviteKey(invite.tenantId, invite.email),
      ConditionExpression: 'inviteId = :inviteId',
      ExpressionAttributeValues: { ':inviteId': invite.inviteId },
    },
  },
];
