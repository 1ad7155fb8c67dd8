import { logger } from '../logger';
import type { StoredFile } from './file';
import { findFile, markReady, markRejected, startIngestAttempt } from './file-store';
import { type IngestResult, ingestCsv, REASONS } from './ingest';
import { ATTEMPT_SPACING_MS, isFinalAttempt } from './ingest-attempts';
import { parseObjectKey } from './object-key';
import { openObject, removeObject, tagIngested } from './object-store';
import { bucketName } from './s3-client';

/**
 * What happens when an object lands (S3 ObjectCreated, delivered at least
 * once): the file's declaration decides. Every branch is safe to repeat.
 *
 * - no declaration (unknown, deleted meanwhile, or expired): the object is
 *   deleted; nothing outside a declaration stays in the bucket.
 * - pending: the attempt is counted on the file; the object is streamed
 *   through the CSV check; then ready (object re-tagged `done` first, then
 *   the metadata and the `file.uploaded` audit event in one transaction
 *   conditioned on `pending`) or rejected (metadata first, then the object
 *   deleted: a rejected file keeps no bytes).
 * - pending, on the last attempt Lambda makes after failed ones: rejected as
 *   not processed without reading the object again ('gave-up'; see
 *   ingest-attempts.ts).
 * - ready: nothing to do (a redelivery).
 * - rejected: the object is deleted again (a redelivery, or a retry after the
 *   delete failed).
 */
export type IngestOutcome = 'ready' | 'rejected' | 'gave-up' | 'duplicate' | 'orphan-deleted' | 'gone' | 'ignored';

export type LandedObject = { bucket: string; key: string };

/**
 * Thrown by the trigger after the ingest gave up on objects (their files are
 * rejected already): the failed invocation is what hands the event to the
 * on-failure queue, where its alarm tells an operator.
 */
export class IngestGaveUpError extends Error {
  constructor(readonly keys: string[]) {
    super(`Gave up ingesting ${keys.join(', ')}: every attempt failed.`);
    this.name = 'IngestGaveUpError';
  }
}

export const ingestObject = async (landed: LandedObject, now: () => Date = () => new Date()): Promise<IngestOutcome> => {
  const ref = parseObjectKey(landed.key);
  if (landed.bucket !== bucketName || !ref) {
    // The notification filters on the prefix; anything else is not a tenant file and not ours to touch.
    logger.warn('Ignored an object that is not a tenant file', { bucket: landed.bucket, key: landed.key });
    return 'ignored';
  }
  const file = await findFile(ref.tenantId, ref.fileId, now());
  if (file?.status !== 'pending') return settle(landed.key, file);
  // Counted before the object is read: an attempt that crashes or times out has still been counted.
  const attempt = await startIngestAttempt(file, now(), ATTEMPT_SPACING_MS);
  if (attempt === undefined) return settle(landed.key, await findFile(file.tenantId, file.fileId, now()));
  if (isFinalAttempt(attempt)) return giveUp(landed.key, file, attempt, now());

  const started = Date.now();
  const result = await checkObject(landed.key, file);
  if (!result) return 'gone';
  const outcome = await record(landed.key, file, result, now());
  logger.info('Ingested a file', {
    tenantId: file.tenantId,
    fileId: file.fileId,
    outcome,
    ...(result.status === 'ready' ? { rowCount: result.rowCount, bytes: result.bytes } : { reason: result.reason }),
    ms: Date.now() - started,
  });
  return outcome;
};

/** The object's verdict; undefined when it was deleted before it could be read. */
const checkObject = async (key: string, file: StoredFile): Promise<IngestResult | undefined> => {
  const object = await openObject(key);
  if (!object) return undefined;
  if (object.contentLength !== undefined && object.contentLength !== file.size) {
    // On AWS the signed Content-Length makes this impossible; checked anyway, without reading the bytes.
    object.body.destroy();
    return { status: 'rejected', reason: REASONS.sizeMismatch(object.contentLength, file.size) };
  }
  return ingestCsv(object.body, { size: file.size });
};

const record = async (key: string, file: StoredFile, result: IngestResult, now: Date): Promise<IngestOutcome> => {
  if (result.status === 'ready') {
    // Tag first: should the transaction then fail for good, the object outlives its declaration
    // (an orphan) rather than a ready file losing its bytes to the lifecycle rule.
    if (!(await tagIngested(key))) return 'gone';
    if (await markReady(file, result, now)) return 'ready';
  } else if (await markRejected(file, result.reason, now)) {
    await removeObject(key);
    return 'rejected';
  }
  // Lost a race (a concurrent delivery settled it, or the file was deleted): act on what is there now.
  return settle(key, await findFile(file.tenantId, file.fileId, now));
};

/** The earlier attempts all failed: reading the object again would likely fail again, and this is the last. */
const giveUp = async (key: string, file: StoredFile, attempt: number, now: Date): Promise<IngestOutcome> => {
  logger.error('Gave up ingesting a file: every earlier attempt failed', { tenantId: file.tenantId, fileId: file.fileId, attempt });
  const outcome = await record(key, file, { status: 'rejected', reason: REASONS.notProcessed }, now);
  return outcome === 'rejected' ? 'gave-up' : outcome;
};

const settle = async (key: string, file: StoredFile | undefined): Promise<IngestOutcome> => {
  if (!file) {
    await removeObject(key);
    return 'orphan-deleted';
  }
  if (file.status === 'rejected') await removeObject(key);
  return 'duplicate';
};
