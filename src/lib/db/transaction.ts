import { randomUUID } from 'node:crypto';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { CONCURRENT_CHANGE, ConflictError } from '../errors';

import { db } from './client';

/** One write of a transaction (Put, Update, Delete or ConditionCheck). */
export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/**
 * Why DynamoDB refused a transaction: `condition` (a ConditionExpression did
 * not hold; `failed` holds the very items whose condition failed, so a caller
 * can tell which rule it was by identity) or `conflict` (another transaction
 * was changing one of its items). Nothing of a refused transaction is written.
 */
export type Refusal = { reason: 'condition'; failed: TransactItem[] } | { reason: 'conflict' };

const refusalOf = (err: unknown, items: TransactItem[]): Refusal | undefined => {
  if (!(err instanceof TransactionCanceledException)) return undefined;
  const codes = (err.CancellationReasons ?? []).map((r) => r.Code);
  const failed = codes.flatMap((code, i) => (code === 'ConditionalCheckFailed' && items[i] ? [items[i]] : []));
  if (failed.length > 0) return { reason: 'condition', failed };
  if (codes.includes('TransactionConflict')) return { reason: 'conflict' };
  return undefined;
};

const send = (items: TransactItem[]) =>
  // The token makes the SDK's own retry of a transaction that did land (a timeout after the
  // write) succeed instead of failing its "item is new" conditions.
  db.send(new TransactWriteCommand({ TransactItems: items, ClientRequestToken: randomUUID() }));

/**
 * Runs a transaction and says whether DynamoDB refused it, for callers that
 * re-read and decide. Throttling and outages are thrown (they become 503).
 */
export const tryCommit = async (items: TransactItem[]): Promise<{ ok: true } | ({ ok: false } & Refusal)> => {
  try {
    await send(items);
    return { ok: true };
  } catch (err) {
    const refusal = refusalOf(err, items);
    if (!refusal) throw err;
    return { ok: false, ...refusal };
  }
};

/**
 * Runs a transaction; a refusal becomes an error: `onCondition` names the
 * rule a failed condition stands for (default: a 409), a conflict with a
 * concurrent transaction is a 409 too.
 */
export const commit = async (items: TransactItem[], onCondition?: (failed: TransactItem[]) => Error): Promise<void> => {
  const result = await tryCommit(items);
  if (result.ok) return;
  if (result.reason === 'conflict') throw new ConflictError(CONCURRENT_CHANGE);
  throw onCondition ? onCondition(result.failed) : new ConflictError(CONCURRENT_CHANGE);
};
