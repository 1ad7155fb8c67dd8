import { ttlAfterDays } from '../db/keys';
import { logger } from '../logger';
import { newFileId, type StoredFile } from './file';
import { findFile } from './file-store';
import { filesConfig } from './files-config';
import { checkInboxObject, decideInbox } from './inbox';
import { type InboxRef, parseInboxKey } from './inbox-key';
import { copyToFile, headInboxObject, type InboxHead, removeInboxObject, uploadIdOf } from './inbox-objects';
import {
  findInboxMarker,
  INBOX_MARKER_DAYS,
  type InboxMarker,
  type InboxUpload,
  markMoved,
  readInboxFacts,
  recordPendingFile,
  recordRefusal,
  recordRejectedFile,
} from './inbox-store';
import { objectKey } from './object-key';
import { bucketName } from './s3-client';

/**
 * What happens when an object lands in a tenant's inbox (S3 ObjectCreated on
 * `tenants/{t}/inbox/{identityId}/{name}`, delivered at least once):
 *
 * 1. The upload is decided once. Its marker (inbox-store.ts: key + version)
 *    is written in the same transaction as the decision's rows, only if no
 *    marker exists; a delivery that finds one only finishes the S3 side.
 * 2. The decision: no such tenant → the object is deleted and logged. An
 *    identity nobody registered, a user who is not a member, or a viewer →
 *    refused: audited in the tenant (`file.inbox_rejected`), object deleted.
 *    A member's object that breaks the upload rules (size, content type,
 *    name) → a `rejected` file with the reason the uploader can read, audited,
 *    object deleted: as a declared upload's bad content ends. Otherwise → a
 *    `pending` file of the tenant uploaded by that member.
 * 3. A pending file's object is copied to `tenants/{t}/files/{fileId}` and
 *    then deleted from the inbox. The copy's own ObjectCreated runs the
 *    declared-upload ingest (ingest-object.ts), which streams the CSV and sets
 *    the file ready with its `file.uploaded` event, or rejected.
 *
 * Every step is safe to repeat, and a fault anywhere (DynamoDB or S3 down)
 * fails the invocation: Lambda retries it, then hands it to the failure
 * queue, and a redelivery completes what is missing. The inbox object is
 * deleted only after its decision is recorded (and, for a file, after its
 * copy landed), so no upload is lost and none is registered twice.
 */
export type InboxOutcome = 'registered' | 'rejected' | 'refused' | 'discarded' | 'duplicate' | 'gone' | 'ignored';

/** The object an event is about: its key and, on a versioned bucket, the version the event names. */
export type InboxObject = { bucket: string; key: string; versionId?: string };

export const ingestInboxObject = async (landed: InboxObject, now: () => Date = () => new Date()): Promise<InboxOutcome> => {
  if (landed.bucket !== bucketName) {
    logger.warn('Ignored an object of another bucket', { bucket: landed.bucket, key: landed.key });
    return 'ignored';
  }
  const ref = parseInboxKey(landed.key);
  if (!ref) {
    // Nobody to attribute it to: the path names no tenant or identity id.
    await removeInboxObject(landed.key, landed.versionId);
    logger.warn('Deleted an inbox object whose key names no tenant and identity', { key: landed.key });
    return 'discarded';
  }
  // On AWS the event names the version: a redelivery of a finished upload then touches no object.
  let head: InboxHead | undefined;
  let uploadId = landed.versionId;
  if (!uploadId) {
    head = await headInboxObject(ref.key);
    if (!head) return 'gone';
    uploadId = uploadIdOf(head);
  }
  const upload: InboxUpload = { ref, uploadId };
  const versionId = landed.versionId ?? head?.versionId;
  const marker = await findInboxMarker(upload);
  if (marker) return finish(upload, versionId, marker, now());
  head ??= await headInboxObject(ref.key, versionId);
  if (!head) return 'gone';
  return decideAndAct(upload, versionId, head, now());
};

const decideAndAct = async (upload: InboxUpload, versionId: string | undefined, head: InboxHead, now: Date): Promise<InboxOutcome> => {
  const { ref } = upload;
  const decision = decideInbox(await readInboxFacts(ref));
  if (decision.kind === 'discard') {
    await removeInboxObject(ref.key, versionId);
    logger.warn('Deleted an inbox object of a tenant that does not exist', { tenantId: ref.tenantId, key: ref.key });
    return 'discarded';
  }
  if (decision.kind === 'refuse') {
    if (!(await recordRefusal(upload, decision, now))) return lostRace(upload, versionId, now);
    await removeInboxObject(ref.key, versionId);
    logger.warn('Refused an inbox object', { tenantId: ref.tenantId, key: ref.key, reason: decision.reason });
    return 'refused';
  }
  const check = checkInboxObject({ name: ref.name, contentType: head.contentType, size: head.size, ...pathProblemOf(ref) }, filesConfig);
  const base = { tenantId: ref.tenantId, fileId: newFileId(now), uploadedBy: decision.userId, createdAt: now.toISOString() };
  if (!check.ok) {
    const file: StoredFile = { ...base, ...check.shown, status: 'rejected', reason: check.reason };
    if (!(await recordRejectedFile(upload, file, now))) return lostRace(upload, versionId, now);
    await removeInboxObject(ref.key, versionId);
    logger.info('Rejected an inbox object', { tenantId: ref.tenantId, fileId: file.fileId, reason: check.reason });
    return 'rejected';
  }
  const { name, contentType, size } = check.declaration;
  // Pending for as long as its event may be redelivered to finish the move (the marker's life), not a declaration's day.
  const file: StoredFile = { ...base, name, contentType, size, status: 'pending', ttl: ttlAfterDays(now, INBOX_MARKER_DAYS) };
  if (!(await recordPendingFile(upload, file, now))) return lostRace(upload, versionId, now);
  await move(upload, versionId, file.fileId);
  logger.info('Registered an inbox object as a file', { tenantId: ref.tenantId, fileId: file.fileId, size });
  return 'registered';
};

const pathProblemOf = (ref: InboxRef) => (ref.pathProblem ? { pathProblem: ref.pathProblem } : {});

/** Another delivery decided this upload a moment ago: finish what its decision needs, as any later delivery would. */
const lostRace = async (upload: InboxUpload, versionId: string | undefined, now: Date): Promise<InboxOutcome> => {
  const marker = await findInboxMarker(upload);
  if (!marker) throw new Error('An inbox decision was refused for its marker, and no marker is there');
  return finish(upload, versionId, marker, now);
};

const move = async (upload: InboxUpload, versionId: string | undefined, fileId: string): Promise<void> => {
  // 'source-gone': an earlier delivery copied and deleted it. 'already-there': it copied it.
  await copyToFile(upload.ref.key, versionId, objectKey(upload.ref.tenantId, fileId));
  await removeInboxObject(upload.ref.key, versionId);
  await markMoved(upload);
};

/** A decided upload: only the S3 side of its decision may be missing. */
const finish = async (upload: InboxUpload, versionId: string | undefined, marker: InboxMarker, now: Date): Promise<InboxOutcome> => {
  const { ref } = upload;
  if (marker.outcome !== 'registered' || !marker.fileId) {
    await removeInboxObject(ref.key, versionId);
    return 'duplicate';
  }
  if (marker.moved) return 'duplicate';
  // A file no longer pending was copied and ingested already, or deleted by its uploader: no copy again.
  const file = await findFile(ref.tenantId, marker.fileId, now);
  if (file?.status === 'pending') {
    await move(upload, versionId, marker.fileId);
  } else {
    await removeInboxObject(ref.key, versionId);
    await markMoved(upload);
  }
  return 'duplicate';
};
