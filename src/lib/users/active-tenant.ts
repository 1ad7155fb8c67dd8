import type { Caller } from '../auth/caller';
import { tableName } from '../db/client';
import { itemExists } from '../db/conditions';
import { memberKey, userProfileKey } from '../db/keys';
import { commit } from '../db/transaction';
import { ForbiddenError } from '../errors';

/**
 * Sets the tenant whose claims the caller's next tokens carry. The membership
 * is checked in the same transaction, so a user can only switch to a tenant
 * they belong to at that moment. The client refreshes its tokens to get the claims.
 */
export const setActiveTenant = async (caller: Caller, tenantId: string): Promise<{ tenantId: string }> => {
  await commit(
    [
      { ConditionCheck: { TableName: tableName, Key: memberKey(tenantId, caller.userId), ConditionExpression: itemExists } },
      {
        Update: {
          TableName: tableName,
          Key: userProfileKey(caller.userId),
          UpdateExpression: 'SET activeTenantId = :tenantId',
          ConditionExpression: itemExists,
          ExpressionAttributeValues: { ':tenantId': tenantId },
        },
      },
    ],
    () => new ForbiddenError('You are not a member of that tenant.'),
  );
  return { tenantId };
};
