import { setTimeout as sleep } from 'node:timers/promises';
import { config } from '../config';
import { tableName } from '../db/client';
import { itemIsNew } from '../db/conditions';
import type { Key } from '../db/keys';
import { type TransactItem, tryCommit } from '../db/transaction';
import { type AuditInput, auditItem } from './audit-event';

/** The Put of an audit event, for a transaction that changes something else too. */
export const auditPut = (tenantId: string | undefined, input: AuditInput, now: Date, eventId?: string) => ({
  Put: {
    TableName: tableName,
    Item: auditItem(tenantId, input, now, config.auditRetentionDays, eventId),
    ConditionExpression: itemIsNew,
  },
});

/** A dedupe marker for `appendAuditEventOnce`: its key, and how long it holds off an identical write. */
export type AuditOnce = { marker: Key; windowSeconds: number };

/** The marker of an earlier write has run out (TTL deletes expired items lazily, within days, so it may still be there). */
const markerExpired = 'dedupeUntil <= :now';
/** Two deliveries racing on one marker: one commits, the other is refused and tries again, to find the marker. */
const CONFLICT_ATTEMPTS = 3;
const CONFLICT_BACKOFF_MS = 25;

/**
 * Writes an audit event unless the same marker was written within its window:
 * for a write retried as a whole, with nothing unique to one attempt (a Cognito
 * trigger). Marker and event are one transaction, so they land together or not
 * at all: a retry after a failure writes the event, a retry after a success
 * finds the marker and writes nothing (`written: false`). Any other failure
 * throws.
 */
export const appendAuditEventOnce = async (
  tenantId: string | undefined,
  input: AuditInput,
  once: AuditOnce,
  now: Date = new Date(),
): Promise<{ written: boolean }> => {
  const dedupeUntil = now.getTime() + once.windowSeconds * 1000;
  const marker: TransactItem = {
    Put: {
      TableName: tableName,
      Item: { ...once.marker, entity: 'auditMarker', dedupeUntil, ttl: Math.ceil(dedupeUntil / 1000) },
      ConditionExpression: `${itemIsNew} OR ${markerExpired}`,
      ExpressionAttributeValues: { ':now': now.getTime() },
    },
  };
  const items = [marker, auditPut(tenantId, input, now)];
  for (let attempt = 1; ; attempt += 1) {
    const result = await tryCommit(items);
    if (result.ok) return { written: true };
    if (result.reason === 'condition' && result.failed.includes(marker)) return { written: false };
    if (result.reason !== 'conflict' || attempt >= CONFLICT_ATTEMPTS) {
      throw new Error(`The audit event was refused (${result.reason}).`);
    }
    await sleep(CONFLICT_BACKOFF_MS * attempt);
  }
};
