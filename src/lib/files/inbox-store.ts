import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { auditPut } from '../audit/audit-store';
import { roleSchema } from '../auth/roles';
import { db, tableName } from '../db/client';
import { itemExists, itemIsNew } from '../db/conditions';
import { inboxUploadKey, type Key, tenantKey, ttlAfterDays, userMembershipKey } from '../db/keys';
import { type TransactItem, tryCommit } from '../db/transaction';
import { CONCURRENT_CHANGE, ConflictError } from '../errors';
import { findIdentityOwner } from '../users/storage-identity-store';
import type { StoredFile } from './file';
import { filePut } from './file-store';
import type { InboxFacts, Refusal } from './inbox';
import type { InboxRef } from './inbox-key';

/**
 * The data of the inbox ingest. Each upload (object key + upload id) is
 * decided once: the decision is a marker item written in the same
 * transaction as what it decides (the file row, the audit event), on the
 * condition that no marker exists. A redelivered or concurrent event finds
 * the marker and only finishes the S3 side of that decision.
 */

/**
 * A marker outlives every redelivery of its event: Lambda's retries (hours)
 * and the failure queue's retention (14 days, resources/ingest-failures.yml),
 * from which an operator may send it again.
 */
export const INBOX_MARKER_DAYS = 15;

export type InboxUpload = { ref: InboxRef; uploadId: string };

export type InboxMarker = {
  outcome: 'registered' | 'rejected' | 'refused';
  fileId?: string;
  /** Registered only: the object was copied under files/ and deleted from the inbox. */
  moved?: boolean;
};

const markerKey = (upload: InboxUpload): Key => inboxUploadKey(upload.ref.tenantId, upload.ref.key, upload.uploadId);

const getItem = async (key: Key) => (await db.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }))).Item;

export const findInboxMarker = async (upload: InboxUpload): Promise<InboxMarker | undefined> => {
  const item = await getItem(markerKey(upload));
  if (!item) return undefined;
  const { outcome, fileId, moved } = item as InboxMarker;
  return { outcome, ...(fileId ? { fileId } : {}), ...(moved ? { moved } : {}) };
};

/** The tenant, and the identity's owner and their membership, each read strongly consistent as the API reads a membership. */
export const readInboxFacts = async (ref: InboxRef): Promise<InboxFacts> => {
  const [tenant, ownerId] = await Promise.all([getItem(tenantKey(ref.tenantId)), findIdentityOwner(ref.identityId)]);
  const membership = ownerId ? await getItem(userMembershipKey(ref.tenantId, ownerId)) : undefined;
  const role = roleSchema.safeParse(membership?.role);
  return { tenantExists: tenant !== undefined, ownerId, role: role.success ? role.data : undefined };
};

const markerPut = (upload: InboxUpload, marker: InboxMarker, now: Date): TransactItem => ({
  Put: {
    TableName: tableName,
    Item: {
      ...markerKey(upload),
      entity: 'inboxUpload',
      objectKey: upload.ref.key,
      uploadId: upload.uploadId,
      ...marker,
      decidedAt: now.toISOString(),
      ttl: ttlAfterDays(now, INBOX_MARKER_DAYS),
    },
    ConditionExpression: itemIsNew,
  },
});

/**
 * Commits a decision with its marker; false when another delivery decided
 * this upload first (its marker exists). A conflict with a concurrent
 * transaction is thrown: the retry then finds that one's marker.
 */
const decide = async (marker: TransactItem, rest: TransactItem[]): Promise<boolean> => {
  const result = await tryCommit([marker, ...rest]);
  if (result.ok) return true;
  if (result.reason === 'conflict') throw new ConflictError(CONCURRENT_CHANGE);
  if (result.failed.includes(marker)) return false;
  throw new Error('An inbox decision was refused by a condition other than its marker.');
};

/** The identity is nobody's, or its user may not upload here: audited in the tenant, with the key and why; never the content. */
export const recordRefusal = (upload: InboxUpload, refusal: { reason: Refusal; userId: string | undefined }, now: Date) => {
  const { ref } = upload;
  return decide(markerPut(upload, { outcome: 'refused' }, now), [
    auditPut(
      ref.tenantId,
      {
        type: 'file.inbox_rejected',
        // An identity nobody registered has no user: the identity id is all there is to name.
        actorId: refusal.userId ?? ref.identityId,
        details: { key: ref.key, identityId: ref.identityId, reason: refusal.reason },
      },
      now,
    ),
  ]);
};

/** A member's upload that breaks the upload rules: a rejected file with the reason they can read, audited. */
export const recordRejectedFile = (upload: InboxUpload, file: StoredFile, now: Date) =>
  decide(markerPut(upload, { outcome: 'rejected', fileId: file.fileId }, now), [
    filePut(file),
    auditPut(
      file.tenantId,
      {
        type: 'file.inbox_rejected',
        actorId: file.uploadedBy,
        targetId: file.fileId,
        details: { key: upload.ref.key, identityId: upload.ref.identityId, reason: file.reason, name: file.name, size: file.size },
      },
      now,
    ),
  ]);

/**
 * A member's upload that passes the rules: a pending file, as a declaration
 * is. The ingest of its copy under files/ sets it ready with its
 * `file.uploaded` event, exactly as for a declared upload.
 */
export const recordPendingFile = (upload: InboxUpload, file: StoredFile, now: Date) =>
  decide(markerPut(upload, { outcome: 'registered', fileId: file.fileId }, now), [filePut(file)]);

/** The registered upload's object is under files/ and gone from the inbox: later deliveries touch nothing. */
export const markMoved = async (upload: InboxUpload): Promise<void> => {
  await db.send(
    new UpdateCommand({
      TableName: tableName,
      Key: markerKey(upload),
      UpdateExpression: 'SET moved = :moved',
      ConditionExpression: itemExists,
      ExpressionAttributeValues: { ':moved': true },
    }),
  );
};
