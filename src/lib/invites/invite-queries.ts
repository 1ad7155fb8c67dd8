import type { Caller } from '../auth/caller';
import { invitePrefix, invitesOfEmail } from '../db/keys';
import { pagedQuery } from '../db/paged-query';
import { prefixQuery } from '../db/queries';
import type { ListQuery, Page } from '../pagination/list-query';
import { tenantNames } from '../tenants/tenant-names';
import { verifiedEmailOf } from '../users/user-store';
import type { Invite } from './invite';
import { toInvite } from './invite-store';

export const listTenantInvites = (tenantId: string, list: ListQuery, now: Date = new Date()): Promise<Page<Invite>> => {
  return pagedQuery({ tenantId, list: 'invites' }, list, prefixQuery(invitePrefix(tenantId)), (item) => toInvite(item, now));
};

/** GET /me/invites: pending, unexpired invites addressed to the caller's verified email, with the tenants' current names. */
export const listMyInvites = async (
  caller: Caller,
  list: ListQuery,
  now: Date = new Date(),
): Promise<Page<Invite & { tenantName: string }>> => {
  const email = await verifiedEmailOf(caller.userId);
  const query = prefixQuery(invitesOfEmail(email));
  const page = await pagedQuery(
    { tenantId: `user:${caller.userId}`, list: 'my-invites' },
    list,
    {
      ...query,
      FilterExpression: '#status = :pending AND expiresAt > :now',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ...query.ExpressionAttributeValues, ':pending': 'pending', ':now': now.toISOString() },
    },
    (item) => toInvite(item, now),
  );
  const names = await tenantNames(page.items.map((i) => i.tenantId));
  return { ...page, items: page.items.map((i) => ({ ...i, tenantName: names.get(i.tenantId) ?? '' })) };
};
