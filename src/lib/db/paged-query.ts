import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { type CursorScope, invalidCursor } from '../pagination/cursor';
import { cursorCodec } from '../pagination/cursor-codec';
import type { ListQuery } from '../pagination/list-query';
import { db } from './client';

/**
 * One page of a Query, with an opaque cursor bound to the tenant and list.
 * Reads one item more than asked so `nextCursor` is null exactly on the last
 * page. The resume key must be in the partition being queried, so even a
 * (hypothetically) forged cursor cannot move a query to another partition.
 */
export const pagedQuery = async <T>(
  scope: CursorScope,
  list: ListQuery,
  input: Omit<QueryCommandInput, 'Limit' | 'ExclusiveStartKey'> & { ExpressionAttributeValues: Record<string, unknown> },
  toItem: (raw: Record<string, unknown>) => T,
): Promise<{ items: T[]; nextCursor: string | null }> => {
  const codec = await cursorCodec();
  const startKey = list.cursor ? codec.open(scope, list.cursor) : undefined;
  if (startKey && startKey.pk !== input.ExpressionAttributeValues[':pk']) {
    throw invalidCursor();
  }
  const items: Record<string, unknown>[] = [];
  let resume = startKey;
  // A page may come back short only when DynamoDB's 1 MB limit cuts it; keep reading until full or done.
  do {
    const out = await db.send(new QueryCommand({ ...input, Limit: list.limit + 1 - items.length, ExclusiveStartKey: resume }));
    items.push(...(out.Items ?? []));
    resume = out.LastEvaluatedKey;
  } while (resume && items.length < list.limit + 1);

  const page = items.slice(0, list.limit);
  const last = page.at(-1);
  const hasMore = items.length > list.limit;
  return {
    items: page.map(toItem),
    nextCursor: hasMore && last ? codec.seal(scope, { pk: last.pk, sk: last.sk }) : null,
  };
};
