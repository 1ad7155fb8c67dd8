import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from '../../../src/lib/db/client';

/**
 * The whole table, item by item, to tell exactly what one request wrote: the
 * fuzzing suites read it after every request and compare. Every item, not a
 * few partitions, so a write that lands where nobody looks is seen too.
 */
export type TableState = Map<string, string>;
export type Change = {
  pk: string;
  sk: string;
  kind: 'added' | 'removed' | 'changed';
  /** The item before and after, as read (canonical JSON); absent where it did not exist. */
  before?: string;
  after?: string;
};

/** JSON with sorted keys, so the same item always reads the same. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );

const SEPARATOR = '\u0000';

export const readTable = async (): Promise<TableState> => {
  const state: TableState = new Map();
  let startKey: Record<string, unknown> | undefined;
  do {
    const out = await db.send(new ScanCommand({ TableName: tableName, ConsistentRead: true, ExclusiveStartKey: startKey }));
    for (const item of out.Items ?? []) state.set(`${String(item.pk)}${SEPARATOR}${String(item.sk)}`, canonical(item));
    startKey = out.LastEvaluatedKey;
  } while (startKey);
  return state;
};

/** An item DynamoDB's TTL may delete at any moment (the local emulator does too): its removal is no request's doing. */
const expired = (item: string, nowSeconds: number): boolean => {
  const ttl = (JSON.parse(item) as { ttl?: unknown }).ttl;
  return typeof ttl === 'number' && ttl <= nowSeconds;
};

/** What changed, item by item, leaving out removals of expired items (TTL). */
export const changesBetween = (before: TableState, after: TableState, now: Date = new Date()): Change[] => {
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const changes: Change[] = [];
  const change = (key: string, kind: Change['kind']) => {
    const [pk = '', sk = ''] = key.split(SEPARATOR);
    const [was, is] = [before.get(key), after.get(key)];
    changes.push({ pk, sk, kind, ...(was === undefined ? {} : { before: was }), ...(is === undefined ? {} : { after: is }) });
  };
  for (const [key, item] of after) {
    const old = before.get(key);
    if (old === undefined) change(key, 'added');
    else if (old !== item) change(key, 'changed');
  }
  for (const [key, item] of before) if (!after.has(key) && !expired(item, nowSeconds)) change(key, 'removed');
  return changes;
};

export const describeChanges = (changes: Change[]): string => changes.map((c) => `${c.kind} ${c.pk} / ${c.sk}`).join('; ');

/**
 * Whom an item belongs to, read from its key (src/lib/db/keys.ts): a tenant
 * (its partitions, its invite-index entries, its directory entry, a user's side
 * of a membership in it), a user (profile, sessions, sign-ins), or neither.
 */
export type ItemOwner = { tenantId: string } | { userId: string } | { other: string };

export const ownerOfItem = (pk: string, sk: string): ItemOwner => {
  const tenantPartition = /^TENANT#([^#]+)(#.*)?$/.exec(pk);
  if (tenantPartition?.[1]) return { tenantId: tenantPartition[1] };
  const tenantInSortKey = /^(?:INVITE|TENANT|MEMBERSHIP)#(.+)$/.exec(sk)?.[1];
  if ((pk === 'TENANT_DIRECTORY' || pk.startsWith('EMAIL#')) && tenantInSortKey) return { tenantId: tenantInSortKey };
  const user = /^USER#([^#]+)(#.*)?$/.exec(pk)?.[1];
  if (user && sk.startsWith('MEMBERSHIP#') && tenantInSortKey) return { tenantId: tenantInSortKey };
  if (user) return { userId: user };
  return { other: pk };
};

/**
 * Items whose key names no tenant but whose content does (src/lib/db/keys.ts):
 * a verified domain's unique claim (`DOMAIN#d` / `CLAIM`) and a tenant
 * provider's owner (`IDP#name` / `PROVIDER`), each with a `tenantId`.
 */
const CONTENT_OWNED: { pk: RegExp; sk: string }[] = [
  { pk: /^DOMAIN#/, sk: 'CLAIM' },
  { pk: /^IDP#/, sk: 'PROVIDER' },
];

/**
 * Whom a change touched: the key's owner; for an item owned by its content,
 * the tenant of each version of it (before and after), so a claim that moves
 * from one tenant to another touches both.
 */
export const ownersOfChange = (change: Change): ItemOwner[] => {
  const byKey = ownerOfItem(change.pk, change.sk);
  if (!('other' in byKey) || !CONTENT_OWNED.some((c) => c.pk.test(change.pk) && c.sk === change.sk)) return [byKey];
  return [change.before, change.after].flatMap((version) => {
    if (version === undefined) return [];
    const tenantId = (JSON.parse(version) as { tenantId?: unknown }).tenantId;
    return [typeof tenantId === 'string' ? { tenantId } : byKey];
  });
};
