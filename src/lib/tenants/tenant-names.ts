import { BatchGetCommand, type BatchGetCommandOutput } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from '../db/client';
import { tenantKey } from '../db/keys';
import { ServiceUnavailableError } from '../errors';

/** BatchGetItem takes at most 100 keys a call. */
const BATCH = 100;

/**
 * The current names of some tenants, read from the tenant items themselves
 * (strongly consistent): names live in one place, so a rename shows
 * everywhere at once. A tenant that no longer exists is left out.
 */
export const tenantNames = async (tenantIds: readonly string[]): Promise<Map<string, string>> => {
  const names = new Map<string, string>();
  const ids = [...new Set(tenantIds)];
  for (let i = 0; i < ids.length; i += BATCH) {
    let keys: Record<string, unknown>[] | undefined = ids.slice(i, i + BATCH).map((id) => tenantKey(id));
    for (let attempt = 0; keys && keys.length > 0; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, 20 * 2 ** Math.min(attempt, 5)));
      const out: BatchGetCommandOutput = await db.send(
        new BatchGetCommand({
          RequestItems: {
            [tableName]: {
              Keys: keys,
              ConsistentRead: true,
              ProjectionExpression: 'tenantId, #name',
              ExpressionAttributeNames: { '#name': 'name' },
            },
          },
        }),
      );
      for (const item of out.Responses?.[tableName] ?? []) names.set(String(item.tenantId), String(item.name));
      // Keys DynamoDB did not get to (throttling, size) come back; read them again, backing off.
      keys = out.UnprocessedKeys?.[tableName]?.Keys;
      if (attempt >= 8 && keys && keys.length > 0) throw new ServiceUnavailableError('tenant names left unprocessed');
    }
  }
  return names;
};
