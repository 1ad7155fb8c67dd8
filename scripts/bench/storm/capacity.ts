/**
 * What DynamoDB charges and allows, as its documentation states it (the
 * figures the storm model takes as inputs; every one is cited in the
 * BENCHMARKS.md section it renders).
 */

/** A partition serves at most this many units a second, however the table is billed. */
export const PARTITION_WCU = 1_000;
export const PARTITION_RCU = 3_000;
/** A transactional read or write costs twice a plain one. */
export const TRANSACTION_FACTOR = 2;
/** A new on-demand table serves this much at once; beyond it, DynamoDB scales up (double the previous peak within 30 minutes) or is pre-warmed. */
export const NEW_TABLE_WARM = { wcu: 4_000, rcu: 12_000 };
/** The default per-table quota of an on-demand table (adjustable in Service Quotas). */
export const TABLE_QUOTA = { wcu: 40_000, rcu: 40_000 };
/** Cognito's default UserAuthentication quota (InitiateAuth and AdminInitiateAuth), per account and Region, adjustable. */
export const COGNITO_USER_AUTHENTICATION_RPS = 120;

type Value = unknown;

const utf8 = (s: string): number => Buffer.byteLength(s, 'utf8');

/** A number's size: about one byte per two significant digits, plus one. */
const numberBytes = (n: number): number => Math.ceil(String(Math.abs(n)).replace(/[.-]/g, '').replace(/^0+/, '').length / 2) + 1;

const valueBytes = (value: Value): number => {
  if (typeof value === 'string') return utf8(value);
  if (typeof value === 'number') return numberBytes(value);
  if (typeof value === 'boolean' || value === null || value === undefined) return 1;
  // A list or map: 3 bytes, and 1 more per element, beside the elements themselves.
  if (Array.isArray(value)) return 3 + value.reduce<number>((sum, v) => sum + 1 + valueBytes(v), 0);
  if (typeof value === 'object') {
    return 3 + Object.entries(value as Record<string, Value>).reduce((sum, [k, v]) => sum + 1 + utf8(k) + valueBytes(v), 0);
  }
  return utf8(String(value));
};

/** An item's size as DynamoDB counts it: each attribute's name and value. */
export const itemBytes = (item: Record<string, Value>): number =>
  Object.entries(item).reduce((sum, [name, value]) => (value === undefined ? sum : sum + utf8(name) + valueBytes(value)), 0);

/** Write units of one item: 1 KB steps (a new item counts its new size), twice in a transaction. */
export const writeUnits = (bytes: number, transactional: boolean): number =>
  Math.max(1, Math.ceil(bytes / 1024)) * (transactional ? TRANSACTION_FACTOR : 1);

/** Read units of one item: 4 KB steps (a missing item still costs the first), half if eventually consistent, twice in a transaction. */
export const readUnits = (bytes: number, mode: 'eventual' | 'strong' | 'transactional'): number =>
  Math.max(1, Math.ceil(bytes / 4096)) * (mode === 'transactional' ? TRANSACTION_FACTOR : mode === 'eventual' ? 0.5 : 1);
