import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from '../db/client';
import { userPartition, userProfileKey } from '../db/keys';
import { prefixQuery, queryAll } from '../db/queries';
import { ForbiddenError } from '../errors';
import type { UserMembership, UserProfile, UserRecord } from './user-record';

/** The profile and every membership of a user, in one strongly consistent query. */
export const getUserRecord = async (userId: string): Promise<UserRecord> => {
  const items = await queryAll(prefixQuery({ pk: userPartition(userId) }));

  let profile: UserProfile | undefined;
  const memberships: UserMembership[] = [];
  for (const item of items) {
    if (item.entity === 'user') {
      const { userId: id, email, activeTenantId, ssoTenantId } = item as UserProfile;
      profile = { userId: id, email, ...(activeTenantId ? { activeTenantId } : {}), ...(ssoTenantId ? { ssoTenantId } : {}) };
    } else if (item.entity === 'userMembership') {
      const { tenantId, role, joinedAt } = item as UserMembership;
      memberships.push({ tenantId, role, joinedAt });
    }
  }
  return { profile, memberships };
};

/**
 * The email the user verified at sign-up, as recorded by PostConfirmation.
 * Access tokens carry no email, and this one cannot be changed by the client.
 */
export const verifiedEmailOf = async (userId: string): Promise<string> => (await verifiedAccountOf(userId)).email;

/** The verified email and, for an account of a tenant's SSO, that tenant (the only one it may join). */
export const verifiedAccountOf = async (userId: string): Promise<{ email: string; ssoTenantId?: string }> => {
  // The profile item alone: the whole user partition (memberships, revoked sessions) is not needed here.
  const out = await db.send(new GetCommand({ TableName: tableName, Key: userProfileKey(userId), ConsistentRead: true }));
  const profile = out.Item as UserProfile | undefined;
  if (!profile?.email) throw new ForbiddenError('Your account has no verified email on record.');
  return { email: profile.email, ...(profile.ssoTenantId ? { ssoTenantId: profile.ssoTenantId } : {}) };
};
