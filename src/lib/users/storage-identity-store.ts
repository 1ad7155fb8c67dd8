import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from '../db/client';
import { identityOwnerKey, storageIdentityKey } from '../db/keys';
import { commit } from '../db/transaction';
import { ConflictError } from '../errors';

/**
 * The data of storage identities: which user a Cognito identity id (Identity
 * Pool) belongs to, and the identity a user registered. Both sides are
 * written in one transaction, so neither exists without the other.
 */

/** An identity is one user's for good: registering it again is a no-op for them, a refusal for anyone else. */
const ownedByNoneOrCaller = 'attribute_not_exists(pk) OR userId = :userId';

export const saveStorageIdentity = async (userId: string, identityId: string, now: Date): Promise<void> => {
  await commit(
    [
      {
        Put: {
          TableName: tableName,
          Item: { ...identityOwnerKey(identityId), entity: 'identityOwner', identityId, userId, registeredAt: now.toISOString() },
          ConditionExpression: ownedByNoneOrCaller,
          ExpressionAttributeValues: { ':userId': userId },
        },
      },
      {
        Put: {
          TableName: tableName,
          Item: { ...storageIdentityKey(userId), entity: 'storageIdentity', identityId, registeredAt: now.toISOString() },
        },
      },
    ],
    () => new ConflictError('This identity is registered to another user.'),
  );
};

/** The user an identity id belongs to; undefined when nobody registered it. Strongly consistent: a registration made a moment ago counts. */
export const findIdentityOwner = async (identityId: string): Promise<string | undefined> => {
  const out = await db.send(new GetCommand({ TableName: tableName, Key: identityOwnerKey(identityId), ConsistentRead: true }));
  const userId = out.Item?.userId;
  return typeof userId === 'string' ? userId : undefined;
};
