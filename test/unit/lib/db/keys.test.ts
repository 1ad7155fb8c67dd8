import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  AUDIT_SHARDS,
  allSessionsKey,
  auditKey,
  auditPartitions,
  auditShardOf,
  emailInviteKey,
  inviteKey,
  invitePrefix,
  invitesOfEmail,
  memberKey,
  memberPrefix,
  revokedSessionKey,
  sessionsEndedByKey,
  tenantDirectory,
  tenantDirectoryKey,
  tenantKey,
  ttlAfterDays,
  userMembershipKey,
  userPartition,
  userProfileKey,
} from '../../../../src/lib/db/keys';

const T = 'tenant-a';
const U = 'user-1';
const AT = '2025-06-02T09:00:00.000Z';

describe('key builders', () => {
  it('take the tenant id first', () => {
    expect(memberKey(T, U)).toEqual({ pk: `TENANT#${T}`, sk: `MEMBER#${U}` });
    expect(inviteKey(T, 'invite-1')).toEqual({ pk: `TENANT#${T}`, sk: 'INVITE#invite-1' });
    expect(emailInviteKey(T, 'a@acme.test')).toEqual({ pk: 'EMAIL#a@acme.test', sk: `INVITE#${T}` });
    expect(tenantDirectoryKey(T)).toEqual({ pk: 'TENANT_DIRECTORY', sk: `TENANT#${T}` });
    expect(userMembershipKey(T, U)).toEqual({ pk: `USER#${U}`, sk: `MEMBERSHIP#${T}` });
    expect(auditKey(T, AT, 'event-1')).toEqual({ pk: `TENANT#${T}#AUDIT#${auditShardOf('event-1')}`, sk: `${AT}#event-1` });
  });

  it("put every tenant-owned item under its own tenant's partition", () => {
    // Act
    const keysOfA = [tenantKey(T), memberKey(T, U), inviteKey(T, 'i'), memberPrefix(T), invitePrefix(T)];
    const keysOfB = [tenantKey('tenant-b'), memberKey('tenant-b', U), inviteKey('tenant-b', 'i')];

    // Assess
    for (const key of keysOfA) expect(key.pk).toBe(`TENANT#${T}`);
    for (const key of keysOfB) expect(key.pk).toBe('TENANT#tenant-b');
  });

  it('give every item type a distinct key for the same ids', () => {
    // Act
    const keys = [
      tenantKey('x'),
      memberKey('x', 'x'),
      inviteKey('x', 'x'),
      emailInviteKey('x', 'x'),
      tenantDirectoryKey('x'),
      auditKey('x', 'x', 'x'),
      auditKey(undefined, 'x', 'x'),
      userProfileKey('x'),
      userMembershipKey('x', 'x'),
      revokedSessionKey('x', 'x'),
      allSessionsKey('x'),
      sessionsEndedByKey('x', 'x'),
    ].map(({ pk, sk }) => `${pk}|${sk}`);

    // Assess
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('give each item type of a partition its own sort-key prefix, so a prefix query reads one type only', () => {
    // Prepare
    const tenantItems = { tenant: tenantKey(T).sk, member: memberKey(T, U).sk, invite: inviteKey(T, 'i').sk };
    const userItems = { profile: userProfileKey(U).sk, membership: userMembershipKey(T, U).sk, session: revokedSessionKey(U, 's').sk };

    // Act
    const memberMatches = Object.entries(tenantItems).filter(([, sk]) => sk.startsWith(memberPrefix(T).sk));
    const inviteMatches = Object.entries(tenantItems).filter(([, sk]) => sk.startsWith(invitePrefix(T).sk));

    // Assess
    expect(memberMatches.map(([type]) => type)).toEqual(['member']);
    expect(inviteMatches.map(([type]) => type)).toEqual(['invite']);
    expect(new Set(Object.values(userItems).map((sk) => sk.split('#')[0])).size).toBe(3);
    expect(emailInviteKey(T, 'a@acme.test').sk.startsWith(invitesOfEmail('a@acme.test').sk)).toBe(true);
    expect(tenantDirectoryKey(T).sk.startsWith(tenantDirectory().sk)).toBe(true);
    expect(userPartition(U)).toBe(userProfileKey(U).pk);
    expect(revokedSessionKey(U, 's').pk).not.toBe(userPartition(U));
  });

  it("keep a tenant's audit events out of its main partition, and users with no tenant in the platform's log", () => {
    expect(auditPartitions(T)).not.toContain(tenantKey(T).pk);
    expect(auditKey(undefined, AT, 'e').pk).toMatch(/^PLATFORM#AUDIT#\d+$/);
    expect(auditKey('', AT, 'e').pk).toMatch(/^PLATFORM#AUDIT#\d+$/);
    expect(auditPartitions(T).some((pk) => auditPartitions('tenant-b').includes(pk))).toBe(false);
  });

  it("put an event in one shard of its tenant's log, the same one for the same event id", () => {
    // Act
    const first = auditKey(T, AT, 'event-1');
    const retried = auditKey(T, '2025-06-02T09:00:04.000Z', 'event-1');

    // Assess
    expect(retried.pk).toBe(first.pk);
    expect(auditPartitions(T)).toContain(first.pk);
    expect(auditShardOf('event-1')).toBeGreaterThanOrEqual(0);
    expect(auditShardOf('event-1')).toBeLessThan(AUDIT_SHARDS);
  });

  it('spread events evenly over the shards, and read the pre-sharding partition too', () => {
    // Act: 32,000 event ids, as randomUUID makes them
    const counts = new Array<number>(AUDIT_SHARDS).fill(0);
    for (let i = 0; i < 1000 * AUDIT_SHARDS; i++) {
      const shard = auditShardOf(randomUUID());
      counts[shard] = (counts[shard] ?? 0) + 1;
    }

    // Assess: 1,000 expected per shard, sd ≈ 31; 6 sd either way fails a fair hash about once in 10^7 runs
    expect(Math.min(...counts)).toBeGreaterThan(1000 - 190);
    expect(Math.max(...counts)).toBeLessThan(1000 + 190);
    expect(auditPartitions(T)).toEqual([`TENANT#${T}#AUDIT`, ...Array.from({ length: AUDIT_SHARDS }, (_, n) => `TENANT#${T}#AUDIT#${n}`)]);
  });

  it('sort audit events by time', () => {
    expect(auditKey(T, '2025-06-02T09:00:00.000Z', 'z').sk < auditKey(T, '2025-06-02T09:00:01.000Z', 'a').sk).toBe(true);
  });
});

describe('ttlAfterDays', () => {
  it('is epoch seconds, days after now', () => {
    expect(ttlAfterDays(new Date('2025-06-02T09:00:00.900Z'), 2)).toBe(Date.parse('2025-06-04T09:00:00.000Z') / 1000);
  });
});
