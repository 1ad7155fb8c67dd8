import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { type CursorScope, invalidCursor } from '../pagination/cursor';
import { cursorCodec } from '../pagination/cursor-codec';
import type { ListQuery, Page } from '../pagination/list-query';
import { db, tableName } from './client';

type Item = Record<string, unknown>;

/** Partitions that share one sort order (the shards of a log), read together within a sort-key window. */
export type MergedSource = { partitions: string[]; from: string; to: string };

/**
 * A partition's newest items in [from, upper], without `excluded`, at most
 * `wanted`, strongly consistent; following LastEvaluatedKey where DynamoDB's
 * 1 MB limit cuts a response short. The key condition is inclusive, so the
 * item at a cursor comes back and is dropped: one more is asked for.
 */
const newestOf = async (pk: string, from: string, upper: string, wanted: number, excluded?: string): Promise<Item[]> => {
  const items: Item[] = [];
  let start: Item | undefined;
  do {
    const out = await db.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': pk, ':from': from, ':to': upper },
        ScanIndexForward: false,
        ConsistentRead: true,
        Limit: wanted - items.length + (excluded === undefined ? 0 : 1),
        ExclusiveStartKey: start,
      }),
    );
    items.push(...(out.Items ?? []).filter((item) => item.sk !== excluded));
    start = out.LastEvaluatedKey;
  } while (start && items.length < wanted);
  return items.slice(0, wanted);
};

const newestFirst = (a: Item, b: Item): number => (String(a.sk) < String(b.sk) ? 1 : String(a.sk) > String(b.sk) ? -1 : 0);

/**
 * One page of items spread over several partitions, newest first by sort key
 * (unique across them). Every partition is asked, in parallel, for its newest
 * `limit + 1` items inside the window and below the cursor; the overall newest
 * `limit + 1` are among those, so the merged page is exact and `nextCursor` is
 * null exactly on the last page. The cursor is the page's last sort key,
 * sealed and bound to the tenant and list like every cursor; one whose key lies
 * outside the window cannot come from this list and is refused.
 */
export const mergedPagedQuery = async <T>(
  scope: CursorScope,
  list: ListQuery,
  source: MergedSource,
  toItem: (raw: Item) => T,
): Promise<Page<T>> => {
  const codec = await cursorCodec();
  const after = list.cursor ? codec.open(scope, list.cursor).sk : undefined;
  if (after !== undefined && (typeof after !== 'string' || after < source.from || after > source.to)) throw invalidCursor();
  const upper = after ?? source.to;

  const pages = await Promise.all(source.partitions.map((pk) => newestOf(pk, source.from, upper, list.limit + 1, after)));
  const merged = pages
    .flat()
    .sort(newestFirst)
    .slice(0, list.limit + 1);

  const page = merged.slice(0, list.limit);
  const last = page.at(-1);
  return {
    items: page.map(toItem),
    nextCursor: merged.length > list.limit && last ? codec.seal(scope, { sk: last.sk }) : null,
  };
};
