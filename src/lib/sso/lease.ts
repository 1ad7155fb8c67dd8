import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from '../db/client';
import { isConditionFailure, itemIsNew } from '../db/conditions';
import { lockKey } from '../db/keys';
import { ServiceUnavailableError } from '../errors';

export type LeaseOptions = { leaseMs: number; attempts: number; waitMs: number };

/**
 * Long enough for a Describe and an Update of the app client; short enough
 * that a holder that died (a Lambda timed out) blocks others for seconds.
 */
export const LEASE_OPTIONS: LeaseOptions = { leaseMs: 8_000, attempts: 8, waitMs: 250 };

/** A lease is free when no one holds it or its holder's time ran out (TTL deletes lazily, so the item may linger). */
const leaseIsFree = `${itemIsNew} OR expiresAt < :now`;

/** The time a lease taken now runs out, as its holder must count it: from before the put was sent. */
const tryAcquire = async (name: string, holder: string, leaseMs: number, now: number): Promise<boolean> => {
  try {
    await db.send(
      new PutCommand({
        TableName: tableName,
        Item: { ...lockKey(name), entity: 'lease', holder, expiresAt: now + leaseMs, ttl: Math.ceil((now + leaseMs) / 1000) + 60 },
        ConditionExpression: leaseIsFree,
        ExpressionAttributeValues: { ':now': now },
      }),
    );
    return true;
  } catch (err) {
    if (isConditionFailure(err)) return false;
    throw err;
  }
};

const release = async (name: string, holder: string): Promise<void> => {
  try {
    await db.send(
      new DeleteCommand({
        TableName: tableName,
        Key: lockKey(name),
        ConditionExpression: 'holder = :holder',
        ExpressionAttributeValues: { ':holder': holder },
      }),
    );
  } catch {
    // Refused: someone took it over after it ran out, so it is theirs now. Any other failure: it runs out on its own.
  }
};

/**
 * Runs `work` holding the named lease: a conditional put with an expiry
 * serializes a read-modify-write of a shared resource across functions.
 * Waits a little for a busy lease, then answers 503 with Retry-After.
 * `work` is told how long the lease still holds (`remainingMs`): a write
 * must not start unless it ends before then, or a holder after this one
 * could read before it lands and write over it.
 */
export const withLease = async <T>(
  name: string,
  work: (lease: { remainingMs: () => number }) => Promise<T>,
  options: LeaseOptions = LEASE_OPTIONS,
): Promise<T> => {
  const holder = randomUUID();
  let takenAt = Date.now();
  for (let attempt = 1; !(await tryAcquire(name, holder, options.leaseMs, takenAt)); attempt += 1) {
    if (attempt >= options.attempts) throw new ServiceUnavailableError(new Error(`lease ${name} is busy`), 2);
    await sleep(options.waitMs * (0.5 + Math.random()));
    takenAt = Date.now();
  }
  try {
    return await work({ remainingMs: () => takenAt + options.leaseMs - Date.now() });
  } finally {
    await release(name, holder);
  }
};
