import { tableName } from '../db/client';
import { invitePrefix, invitesOfEmail } from '../db/keys';
import { pagedQuery } from '../db/paged-query';
import type { ListQuery, Page } from '../pagination/list-query';
import type { IndexedInvite, Invite } from './invite';
import { toInvite } from './invite-store';

export const listTenantInvites = (tenantId: string, list: ListQuery, now: Date = new Date()): Promise<Page<Invite>> => {
  const prefix = invitePrefix(tenantId);
  return pagedQuery(
    { tenantId, list: 'invites' },
    list,
    {
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
      ExpressionAttributeValues: { ':pk': prefix.pk, ':sk': prefix.sk },
      ConsistentRead: true,
    },
    (item) => toInvite(item, now),
  );
};

/** GET /me/invites: pending, unexpired invites addressed to the caller's verified email. */
export const listInvitesOfEmail = (
  email: string,
  userId: string,
  list: ListQuery,
  now: Date = new Date(),
): Promise<Page<IndexedInvite>> => {
  const prefix = invitesOfEmail(email);
  return pagedQuery(
    { tenantId: `user:${userId}`, list: 'my-invites' },
    list,
    {
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
      FilterExpression: '#status = :pending AND expiresAt > :now',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':pk': prefix.pk, ':sk': prefix.sk, ':pending': 'pending', ':now': now.toISOString() },
      ConsistentRead: true,
    },
    (item) => {
      const i = item as IndexedInvite;
      return {
        inviteId: i.inviteId,
        tenantId: i.tenantId,
        tenantName: i.tenantName,
        email: i.email,
        role: i.role,
        status: i.status,
        expiresAt: i.expiresAt,
        createdAt: i.createdAt,
      };
    },
  );
};
