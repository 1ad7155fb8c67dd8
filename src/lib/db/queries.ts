import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from './client';
import type { Key } from './keys';

/** A strongly consistent Query of one partition, optionally narrowed to a sort-key prefix. */
export const prefixQuery = (prefix: Key | { pk: string; sk?: string }) => ({
  TableName: tableName,
  KeyConditionExpression: prefix.sk ? 'pk = :pk AND begins_with(sk, :sk)' : 'pk = :pk',
  ExpressionAttributeValues: prefix.sk ? { ':pk': prefix.pk, ':sk': prefix.sk } : { ':pk': prefix.pk },
  ConsistentRead: true,
});

/** Every item a Query returns, following LastEvaluatedKey to the end (for small, bounded partitions). */
export const queryAll = async (input: Omit<QueryCommandInput, 'ExclusiveStartKey'>): Promise<Record<string, unknown>[]> => {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const out = await db.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey }));
    items.push(...(out.Items ?? []));
    startKey = out.LastEvaluatedKey;
  } while (startKey);
  return items;
};
