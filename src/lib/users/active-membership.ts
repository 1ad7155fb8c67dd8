import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from '../db/client';
import { type Key, userMembershipKey, userMembershipPrefix, userProfileKey } from '../db/keys';
import { prefixQuery, queryAll } from '../db/queries';
import type { UserMembership } from './user-record';

/** Pages of the rare fallback: a user belongs to a handful of tenants, so one page is the usual read. */
const FALLBACK_PAGE_SIZE = 10;

/** One item, strongly consistent: claims must reflect a removal or a role change made a moment ago. */
const getItem = async (key: Key): Promise<Record<string, unknown> | undefined> =>
  (await db.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }))).Item;

const toMembership = (item: Record<string, unknown>): UserMembership => {
  const { tenantId, role, joinedAt } = item as UserMembership;
  return { tenantId, role, joinedAt };
};

/**
 * The membership whose claims go into the user's tokens, read the way the
 * Cognito triggers can afford inside Cognito's 5-second budget: the profile
 * (which names the active tenant) and that one membership, two GetItems
 * however many tenants the user belongs to. Only when that membership is gone
 * (the user was removed from the active tenant) are the remaining memberships
 * read, to take the oldest, as `activeMembership` (user-record.ts) does for a
 * whole user record. None if the user belongs to no tenant. A failed read
 * throws: a trigger never guesses.
 */
export const findActiveMembership = async (userId: string): Promise<UserMembership | undefined> =>
  activeMembershipOf(userId, await getItem(userProfileKey(userId)));

/**
 * A user we have a profile of (one who confirmed a sign-up here), with their
 * active membership read as `findActiveMembership` reads it; undefined for a
 * user we do not know.
 */
export const findKnownUser = async (userId: string): Promise<{ activeMembership: UserMembership | undefined } | undefined> => {
  const profile = await getItem(userProfileKey(userId));
  return profile ? { activeMembership: await activeMembershipOf(userId, profile) } : undefined;
};

const activeMembershipOf = async (userId: string, profile: Record<string, unknown> | undefined): Promise<UserMembership | undefined> => {
  // An account of a tenant's SSO carries that tenant's claims or none: a provider of A never yields B.
  const ssoTenantId = profile?.ssoTenantId;
  if (typeof ssoTenantId === 'string') {
    const own = await getItem(userMembershipKey(ssoTenantId, userId));
    return own ? toMembership(own) : undefined;
  }
  const activeTenantId = profile?.activeTenantId;
  if (typeof activeTenantId === 'string') {
    const active = await getItem(userMembershipKey(activeTenantId, userId));
    if (active) return toMembership(active);
  }
  return oldestMembership(userId);
};

/** The rare path: the memberships alone (never the profile or other items of the user), in small pages. */
const oldestMembership = async (userId: string): Promise<UserMembership | undefined> => {
  const items = await queryAll({ ...prefixQuery(userMembershipPrefix(userId)), Limit: FALLBACK_PAGE_SIZE });
  return items.map(toMembership).sort((a, b) => a.joinedAt.localeCompare(b.joinedAt))[0];
};
