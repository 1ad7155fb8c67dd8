import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { tableName } from '../db/client';
import { itemExists } from '../db/conditions';
import { tenantKey } from '../db/keys';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/**
 * The tenant item counts its owners. Every write that makes or unmakes an
 * owner changes the count in the same transaction, and losing an owner is
 * conditioned on more than one being left: DynamoDB serializes transactions
 * on the tenant item, so two racing demotions of the last two owners cannot
 * both succeed, and a tenant never goes from one owner to none.
 */
export const ownerGained = (tenantId: string): TransactItem => ({
  Update: {
    TableName: tableName,
    Key: tenantKey(tenantId),
    UpdateExpression: 'SET ownerCount = if_not_exists(ownerCount, :zero) + :one',
    ConditionExpression: itemExists,
    ExpressionAttributeValues: { ':zero': 0, ':one': 1 },
  },
});

export const ownerLost = (tenantId: string): TransactItem => ({
  Update: {
    TableName: tableName,
    Key: tenantKey(tenantId),
    UpdateExpression: 'SET ownerCount = ownerCount - :one',
    ConditionExpression: 'ownerCount > :one',
    ExpressionAttributeValues: { ':one': 1 },
  },
});

/** For writes that need the tenant to exist but change no owner. */
export const tenantStillExists = (tenantId: string): TransactItem => ({
  ConditionCheck: { TableName: tableName, Key: tenantKey(tenantId), ConditionExpression: itemExists },
});
