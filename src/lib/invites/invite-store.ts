import { randomUUID } from 'node:crypto';
import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Role } from '../auth/roles';
import { config } from '../config';
import { db, tableName } from '../db/client';
import { itemIsNew } from '../db/conditions';
import { emailInviteKey, inviteKey, invitesOfEmail } from '../db/keys';
import { prefixQuery, queryAll } from '../db/queries';
import { effectiveStatus, type IndexedInvite, type Invite, type InviteStatus, inviteExpiry, isUnexpired } from './invite';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** The invites addressed to an email (one per tenant: the latest), read strongly consistent. */
export const findInvitesOfEmail = async (email: string): Promise<IndexedInvite[]> =>
  (await queryAll(prefixQuery(invitesOfEmail(email)))).map(toIndexedInvite);

/** Pending, unexpired invites addressed to an email. */
export const findPendingInvites = async (email: string, now: Date): Promise<IndexedInvite[]> =>
  (await findInvitesOfEmail(email)).filter((i) => i.status === 'pending' && isUnexpired(i, now));

export const getInvite = async (tenantId: string, inviteId: string, now: Date): Promise<Invite | undefined> => {
  const out = await db.send(new GetCommand({ TableName: tableName, Key: inviteKey(tenantId, inviteId), ConsistentRead: true }));
  return out.Item ? toInvite(out.Item, now) : undefined;
};

const inviteFields = (i: Invite): Invite => ({
  inviteId: i.inviteId,
  tenantId: i.tenantId,
  email: i.email,
  role: i.role,
  status: i.status,
  expiresAt: i.expiresAt,
  createdAt: i.createdAt,
});

/** An invite as the API shows it: a stored `pending` past its expiry reads `expired`. */
export const toInvite = (item: Record<string, unknown>, now: Date): Invite => {
  const i = inviteFields(item as Invite);
  return { ...i, status: effectiveStatus(i.status, i.expiresAt, now) };
};

export const toIndexedInvite = (item: Record<string, unknown>): IndexedInvite => ({
  ...inviteFields(item as Invite),
  tenantName: (item as IndexedInvite).tenantName,
});

export type NewInvite = { tenantId: string; tenantName: string; email: string; role: Role; invitedBy: string };

/**
 * The writes that create an invite: the invite itself and its entry in the
 * email's invite index. The index holds one entry per tenant and email, and a
 * new invite may replace it only if it is no longer pending or has expired,
 * so two pending invites for one email in one tenant cannot both be written.
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
  const indexed: IndexedInvite = { ...invite, tenantName: input.tenantName };
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
          Item: { ...emailInviteKey(invite.tenantId, invite.email), entity: 'emailInvite', ...indexed },
          ConditionExpression: `${itemIsNew} OR #status <> :pending OR expiresAt < :now`,
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':pending': 'pending', ':now': now.toISOString() },
        },
      },
    ],
  };
};

/**
 * The writes that end a pending invite (accepted or revoked), on the invite
 * and on its index entry, each conditioned on still being pending so that two
 * racing endings cannot both succeed.
 */
export const endInviteWrites = (
  invite: { tenantId: string; inviteId: string; email: string },
  status: Extract<InviteStatus, 'accepted' | 'revoked'>,
  actorId: string,
  now: Date,
  requireUnexpired: boolean,
): TransactItem[] => {
  const stillPending = requireUnexpired ? '#status = :pending AND expiresAt > :now' : '#status = :pending';
  const values = { ':status': status, ':pending': 'pending', ':now': now.toISOString() };
  return [
    {
      Update: {
        TableName: tableName,
        Key: inviteKey(invite.tenantId, invite.inviteId),
        UpdateExpression: 'SET #status = :status, endedBy = :actor, endedAt = :now',
        ConditionExpression: stillPending,
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ...values, ':actor': actorId },
      },
    },
    {
      Update: {
        TableName: tableName,
        Key: emailInviteKey(invite.tenantId, invite.email),
        UpdateExpression: 'SET #status = :status, endedAt = :now',
        ConditionExpression: `inviteId = :inviteId AND ${stillPending}`,
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ...values, ':inviteId': invite.inviteId },
      },
    },
  ];
};
