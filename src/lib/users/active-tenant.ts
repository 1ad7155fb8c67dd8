import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from '../db/client';
import { isConditionFailure } from '../db/conditions';
import { memberKey, userProfileKey } from '../db/keys';
import { ForbiddenError } from '../errors';

/**
 * Sets the tenant whose claims the user's next tokens carry. The membership is
 * checked in the same transaction, so a user can only switch to a tenant they
 * belong to at that moment. The client refreshes its tokens to get the claims.
 */
export const setActiveTenant = async (userId: string, tenantId: string): Promise<{ tenantId: string }> => {
  try {
    await db.send(
      new TransactWriteCommand({
        TransactItems: [
          { ConditionCheck: { TableName: tableName, Key: memberKey(tenantId, userId), ConditionExpression: 'attribute_exists(pk)' } },
          {
            Update: {
              TableName: tableName,
              Key: userProfileKey(userId),
              UpdateExpression: 'SET activeTenantId = :tenantId',
              ConditionExpression: 'attribute_exists(pk)',
              ExpressionAttributeValues: { ':tenantId': tenantId },
            },
          },
        ],
      }),
    );
  } catch (err) {
    if (isConditionFailure(err)) throw new ForbiddenError('You are not a member of that tenant.');
    throw err;
  }
  return { tenantId };
};
