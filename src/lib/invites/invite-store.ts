import { randomUUID } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Role } from '../auth/roles';
import { config } from '../config';
import { db, tableName } from '../db/client';
import { itemIsNew } from '../db/conditions';
import { emailInviteKey, inviteKey, inviteRateKey, invitesOfEmail, memberEmailKey } from '../db/keys';
import { prefixQuery, queryAll } from '../db/queries';
import type { TransactItem } from '../db/transaction';
import {
  effectiveStatus,
  hashInviteCode,
  type IndexedInvite,
  type Invite,
  type InviteStatus,
  inviteExpiry,
  isUnexpired,
  newInviteCode,
} from './invite';

/** The invites addressed to an email (one per tenant: the latest), read strongly consistent. */
export const findInvitesOfEmail = async (email: string): Promise<IndexedInvite[]> =>
  (await queryAll(prefixQuery(invitesOfEmail(email)))).map(toIndexedInvite);

/** Pending, unexpired invites addressed to an email. */
export const findPendingInvites = async (email: string, now: Date): Promise<IndexedInvite[]> =>
  (await findInvitesOfEmail(email)).filter((i) => i.status === 'pending' && isUnexpired(i, now));

/** The index entry of an email in one tenant (its latest invite there), if any. */
export const findIndexedInvite = async (tenantId: string, email: string): Promise<IndexedInvite | undefined> => {
  const out = await db.send(new GetCommand({ TableName: tableName, Key: emailInviteKey(tenantId, email), ConsistentRead: true }));
  return out.Item ? toIndexedInvite(out.Item) : undefined;
};

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

/** An invite as the API shows it: a stored `pending` past its expiry reads `expired`. Never the code's hash. */
export const toInvite = (item: Record<string, unknown>, now: Date): Invite => {
  const i = inviteFields(item as Invite);
  return { ...i, status: effectiveStatus(i.status, i.expiresAt, now) };
};

export const toIndexedInvite = (item: Record<string, unknown>): IndexedInvite => {
  const { codeHash } = item as IndexedInvite;
  return { ...inviteFields(item as Invite), ...(codeHash ? { codeHash } : {}) };
};

export type NewInvite = { tenantId: string; email: string; role: Role; invitedBy: string };

/** The clock hour an invite counts against, and the seconds until the next one begins. */
export const rateWindow = (now: Date): { hour: string; secondsLeft: number } => ({
  hour: now.toISOString().slice(0, 13),
  secondsLeft: 3600 - Math.floor((now.getTime() % 3_600_000) / 1000),
});

/**
 * The writes that create an invite, each named for the rule its condition keeps:
 * - `invite`: the invite itself, with its code's hash;
 * - `index`: its entry in the email's invite index, which holds one entry per
 *   tenant and email and may be replaced only once no longer pending (or
 *   expired), so two pending invites for one email in one tenant cannot both
 *   be written;
 * - `notAMember`: the email belongs to no member of the tenant;
 * - `withinRate`: the tenant's invites this hour stay within `invitesPerHour`.
 * The code is returned once, for the email (and the operator): only its hash is stored.
 */
export const newInviteWrites = (input: NewInvite, now: Date) => {
  const code = newInviteCode();
  const invite: Invite = {
    inviteId: randomUUID(),
    tenantId: input.tenantId,
    email: input.email,
    role: input.role,
    status: 'pending',
    expiresAt: inviteExpiry(now, config.inviteTtlDays),
    createdAt: now.toISOString(),
  };
  const codeHash = hashInviteCode(code);
  const { hour } = rateWindow(now);
  const writes = {
    invite: {
      Put: {
        TableName: tableName,
        Item: { ...inviteKey(invite.tenantId, invite.inviteId), entity: 'invite', invitedBy: input.invitedBy, codeHash, ...invite },
        ConditionExpression: itemIsNew,
      },
    },
    index: {
      Put: {
        TableName: tableName,
        Item: { ...emailInviteKey(invite.tenantId, invite.email), entity: 'emailInvite', codeHash, ...invite },
        ConditionExpression: `${itemIsNew} OR #status <> :pending OR expiresAt < :now`,
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':pending': 'pending', ':now': now.toISOString() },
      },
    },
    notAMember: {
      ConditionCheck: { TableName: tableName, Key: memberEmailKey(invite.tenantId, invite.email), ConditionExpression: itemIsNew },
    },
    withinRate: {
      Update: {
        TableName: tableName,
        Key: inviteRateKey(invite.tenantId, hour),
        UpdateExpression: 'SET entity = :entity, #ttl = :ttl ADD #count :one',
        ConditionExpression: 'attribute_not_exists(#count) OR #count < :limit',
        ExpressionAttributeNames: { '#count': 'count', '#ttl': 'ttl' },
        ExpressionAttributeValues: {
          ':entity': 'inviteRate',
          ':one': 1,
          ':limit': config.invitesPerHour,
          ':ttl': Math.floor(now.getTime() / 1000) + 2 * 3600,
        },
      },
    },
  } satisfies Record<string, TransactItem>;
  return { invite, code, writes };
};

/**
 * The writes that end a pending invite (accepted or revoked), on the invite
 * and on its index entry, each conditioned on still being pending so that two
 * racing endings cannot both succeed. The code's hash goes with it: a code
 * works once, for a pending invite only.
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
        UpdateExpression: 'SET #status = :status, endedBy = :actor, endedAt = :now REMOVE codeHash',
        ConditionExpression: stillPending,
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ...values, ':actor': actorId },
      },
    },
    {
      Update: {
        TableName: tableName,
        Key: emailInviteKey(invite.tenantId, invite.email),
        UpdateExpression: 'SET #status = :status, endedAt = :now REMOVE codeHash',
        ConditionExpression: `inviteId = :inviteId AND ${stillPending}`,
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ...values, ':inviteId': invite.inviteId },
      },
    },
  ];
};
