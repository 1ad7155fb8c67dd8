import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';

/** Named condition pieces, so a write says what it protects. */
export const itemIsNew = 'attribute_not_exists(pk)';
export const itemExists = 'attribute_exists(pk)';

export const isConditionFailure = (err: unknown): boolean =>
  err instanceof ConditionalCheckFailedException ||
  (err instanceof TransactionCanceledException && (err.CancellationReasons ?? []).some((r) => r.Code === 'ConditionalCheckFailed'));
