/**
 * Analyse: one tenant's login storm against DynamoDB's per-partition limits,
 * for the layout before the audit log was sharded and the layout the code has
 * now. Each sign-in does what the capture recorded (same keys, same sizes);
 * "before" is the same calls with the two keys the code used then: the one
 * audit partition `TENANT#t#AUDIT`, and the tenant's `MEMBER#u` read by the
 * auth context. Users' partitions see one sign-in each; what a storm can
 * overload is the partitions every sign-in of the tenant shares.
 */
import { randomUUID } from 'node:crypto';
import { AUDIT_SHARDS, auditKey, memberKey } from '../../../src/lib/db/keys';
import { PARTITION_RCU, PARTITION_WCU, readUnits, writeUnits } from './capacity';
import type { Capture, Key, Op } from './capture';

export type LayoutName = 'before' | 'now';
/** One item of a sign-in (or of an auth context read) as a layout places it, with its cost. */
type Placed = { phase: Op['phase']; pk: string; wcu: number; rcu: number; shard: boolean };

const place = (layout: LayoutName, op: Op, c: Capture): Placed => {
  let key: Key = op.key;
  let bytes = op.bytes;
  const shard = op.key.pk.startsWith(`TENANT#${c.tenantId}#AUDIT#`);
  if (layout === 'before' && shard) key = { pk: `TENANT#${c.tenantId}#AUDIT`, sk: op.key.sk };
  if (layout === 'before' && op.phase === 'authContext' && op.key.sk === `MEMBERSHIP#${c.tenantId}`) {
    key = memberKey(c.tenantId, c.userId);
    bytes = c.bytesAt(key);
  }
  const transactional = op.mode === 'transactional';
  return {
    phase: op.phase,
    pk: key.pk,
    wcu: op.access === 'write' ? writeUnits(bytes, transactional) : 0,
    rcu: op.access === 'read' ? readUnits(bytes, op.mode) : 0,
    shard: layout === 'now' && shard,
  };
};

/** The units one sign-in and one auth context miss cost, in all and on the tenant's shared partitions. */
export const costs = (layout: LayoutName, c: Capture) => {
  const placed = c.ops.map((op) => place(layout, op, c));
  const signIn = placed.filter((p) => p.phase !== 'authContext');
  const auth = placed.filter((p) => p.phase === 'authContext');
  const sum = (ps: Placed[], unit: 'wcu' | 'rcu') => ps.reduce((n, p) => n + p[unit], 0);
  const sharedBy = (p: Placed) => p.pk.startsWith(`TENANT#${c.tenantId}`);
  return {
    signIn: { wcu: sum(signIn, 'wcu'), rcu: sum(signIn, 'rcu'), shared: signIn.filter(sharedBy) },
    auth: { wcu: sum(auth, 'wcu'), rcu: sum(auth, 'rcu'), shared: auth.filter(sharedBy) },
  };
};

/** ln n!, by Stirling's series (exact enough from n = 1; the counts here are in the hundreds). */
const logFactorial = (n: number): number =>
  n < 2 ? 0 : n * Math.log(n) - n + 0.5 * Math.log(2 * Math.PI * n) + 1 / (12 * n) - 1 / (360 * n ** 3);

/**
 * P(X > k) for a Poisson count of the given mean, k at or above the mean: a
 * shard's share of a second's events (a slightly heavier tail than the
 * binomial's: conservative). In log space, so large means do not underflow.
 */
const poissonTailAbove = (mean: number, k: number): number => {
  let i = k + 1;
  let term = Math.exp(-mean + i * Math.log(mean) - logFactorial(i));
  let tail = 0;
  while (term > tail * 1e-12) {
    tail += term;
    i += 1;
    term *= mean / i;
  }
  return tail;
};

/**
 * The busiest of `shards` shards in a second, at the `p` quantile, for `events`
 * events a second spread at random: the least k with P(every shard ≤ k) ≥ p,
 * taking the shards as independent (their counts are negatively correlated,
 * so this overstates the busiest).
 */
export const busiestShard = (events: number, shards: number, p = 0.999): number => {
  if (shards === 1) return events;
  const mean = events / shards;
  const perShardTail = 1 - p ** (1 / shards);
  let k = Math.ceil(mean);
  while (poissonTailAbove(mean, k) > perShardTail) k++;
  return k;
};

/** Write units a second on the busiest partition the tenant's sign-ins share, at the 99.9th percentile. */
export const busiestSharedWcu = (layout: LayoutName, c: Capture, signInsPerSecond: number): { pk: string; wcu: number } => {
  const { shared } = costs(layout, c).signIn;
  const byPk = new Map<string, number>();
  for (const p of shared) if (!p.shard) byPk.set(p.pk, (byPk.get(p.pk) ?? 0) + p.wcu * signInsPerSecond);
  const shardWcu = shared.filter((p) => p.shard).reduce((n, p) => n + p.wcu, 0);
  const sharded = shardWcu ? busiestShard(signInsPerSecond, AUDIT_SHARDS) * shardWcu : 0;
  const [pk, wcu] = [...byPk.entries()].sort((a, b) => b[1] - a[1])[0] ?? ['', 0];
  return sharded >= wcu ? { pk: `TENANT#t#AUDIT#n (busiest of ${AUDIT_SHARDS})`, wcu: sharded } : { pk: pk.replace(c.tenantId, 't'), wcu };
};

/** The most sign-ins a second the tenant's shared partitions take (writes are what a sign-in puts there). */
export const maxSignInsByPartition = (layout: LayoutName, c: Capture): number => {
  let [low, high] = [0, 1_000_000];
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (busiestSharedWcu(layout, c, mid).wcu <= PARTITION_WCU) low = mid;
    else high = mid;
  }
  return low;
};

/** Auth context misses a second of one tenant its shared partitions take (reads: none in `now`). */
export const maxAuthMissesByPartition = (layout: LayoutName, c: Capture): number => {
  const rcu = costs(layout, c).auth.shared.reduce((n, p) => n + p.rcu, 0);
  return rcu ? Math.floor(PARTITION_RCU / rcu) : Number.POSITIVE_INFINITY;
};

/**
 * The simulation: `seconds` seconds at `rate` sign-ins a second, each audit
 * event keyed by the real `auditKey` with a fresh event id; the busiest shard
 * of each second. Returns the busiest second's count.
 */
export const simulateBusiestShard = (c: Capture, rate: number, seconds: number): number => {
  let busiest = 0;
  const at = new Date().toISOString();
  for (let s = 0; s < seconds; s++) {
    const counts = new Map<string, number>();
    for (let i = 0; i < rate; i++) {
      const { pk } = auditKey(c.tenantId, at, randomUUID());
      counts.set(pk, (counts.get(pk) ?? 0) + 1);
    }
    busiest = Math.max(busiest, ...counts.values());
  }
  return busiest;
};

/**
 * Assumed, not measured (this machine has no DynamoDB): in-region medians of
 * each call, and the handler's own time. They size the triggers' concurrency
 * only; the partition and table figures do not depend on them.
 */
export const ASSUMED_MS: Record<string, number> = { GetItem: 5, TransactGetItems: 8, TransactWriteItems: 15, handler: 5 };

/** A trigger's time per invocation: its DynamoDB calls one after another, then the handler's own. */
export const triggerMillis = (c: Capture, phase: Op['phase']): number => {
  const calls = new Map<number, string>();
  for (const op of c.ops) if (op.phase === phase) calls.set(op.callNo, op.call);
  return [...calls.values()].reduce((ms, call) => ms + (ASSUMED_MS[call] ?? 0), ASSUMED_MS.handler ?? 0);
};
