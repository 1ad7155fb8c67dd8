import { invitePrefix, invitesOfEmail } from '../db/keys';
import { pagedQuery } from '../db/paged-query';
import { prefixQuery } from '../db/queries';
import type { ListQuery, Page } from '../pagination/list-query';
import type { IndexedInvite, Invite } from './invite';
import { toIndexedInvite, toInvite } from './invite-store';

export const listTenantInvites = (tenantId: string, list: ListQuery, now: Date = new Date()): Promise<Page<Invite>> => {
  return pagedQuery({ tenantId, list: 'invites' }, list, prefixQuery(invitePrefix(tenantId)), (item) => toInvite(item, now));
};

/** GET /me/invites: pending, unexpired invites addressed to the caller's verified email. */
export const listInvitesOfEmail = (
  email: string,
  userId: string,
  list: ListQuery,
  now: Date = new Date(),
): Promise<Page<IndexedInvite>> => {
  const query = prefixQuery(invitesOfEmail(email));
  return pagedQuery(
    { tenantId: `user:${userId}`, list: 'my-invites' },
    list,
    {
      ...query,
      FilterExpression: '#status = :pending AND expiresAt > :now',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ...query.ExpressionAttributeValues, ':pending': 'pending', ':now': now.toISOString() },
    },
    toIndexedInvite,
  );
};
