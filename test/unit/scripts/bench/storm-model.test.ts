import { describe, expect, it } from 'vitest';
import { itemBytes, readUnits, writeUnits } from '../../../../scripts/bench/storm/capacity';
import { busiestShard } from '../../../../scripts/bench/storm/model';

describe('the storm model', () => {
  it('sizes an item as DynamoDB does: attribute names and values', () => {
    // 'pk' + 'TENANT#t' = 10, 'n' + 3 digits (2 + 1) = 4, 'ok' + true = 3, 'm' + { 'a': 'b' } = 1 + 3 + 1 + 1 + 1 = 7
    expect(itemBytes({ pk: 'TENANT#t', n: 123, ok: true, m: { a: 'b' } })).toBe(24);
  });

  it('charges 1 KB write steps and 4 KB read steps, twice in a transaction, and a missing item its first read unit', () => {
    expect(writeUnits(320, true)).toBe(2);
    expect(writeUnits(1025, false)).toBe(2);
    expect(readUnits(0, 'strong')).toBe(1);
    expect(readUnits(198, 'transactional')).toBe(2);
    expect(readUnits(5000, 'eventual')).toBe(1);
  });

  it('puts every event on the one partition when there is one, and spreads them with a tail when there are many', () => {
    expect(busiestShard(5_000, 1)).toBe(5_000);
    // 5,000 a second over 32 shards: 156 on average; the busiest of a second at p99.9 is some 4 sd above
    const busiest = busiestShard(5_000, 32);
    expect(busiest).toBeGreaterThan(156 + 3 * Math.sqrt(156));
    expect(busiest).toBeLessThan(156 + 5 * Math.sqrt(156));
    expect(busiestShard(5_000, 32, 0.5)).toBeLessThan(busiest);
  });
});
