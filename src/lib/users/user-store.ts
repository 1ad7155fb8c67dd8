import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from '../db/client';
import { userPartition } from '../db/keys';
import { ForbiddenError } from '../errors';
import type { UserMembership, UserProfile, UserRecord } from './user-record';

/** The profile and every membership of a user, in one strongly consistent query. */
export const getUserRecord = async (userId: string): Promise<UserRecord> => {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const out = await db.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        FilterExpression: 'entity IN (:user, :membership)',
        ExpressionAttributeValues: { ':pk': userPartition(userId), ':user': 'user', ':membership': 'userMembership' },
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
      }),
    );
    items.push(...(out.Items ?? []));
    startKey = out.LastEvaluatedKey;
  } while (startKey);

  let profile: UserProfile | undefined;
  const memberships: UserMembership[] = [];
  for (const item of items) {
    if (item.entity === 'user') {
      const { userId: id, email, activeTenantId } = item as UserProfile;
      profile = { userId: id, email, ...(activeTenantId ? { activeTenantId } : {}) };
    } else {
      const { tenantId, tenantName, role, joinedAt } = item as UserMembership;
      memberships.push({ tenantId, tenantName, role, joinedAt });
    }
  }
  return { profile, memberships };
};

/**
 * The email the user verified at sign-up, as recorded by PostConfirmation.
 * Access tokens carry no email, and this one cannot be changed by the client.
 */
export const verifiedEmailOf = async (userId: string): Promise<string> => {
  const { profile } = await getUserRecord(userId);
  if (!profile?.email) throw new ForbiddenError('Your account has no verified email on record.');
  return profile.email;
};
