import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { auditPut } from '../audit/audit-store';
import { actedBy, type TenantCaller } from '../auth/caller';
import { db, tableName } from '../db/client';
import { isConditionFailure, itemExists, itemIsNew } from '../db/conditions';
import { fileKey } from '../db/keys';
import { type TransactItem, tryCommit } from '../db/transaction';
import { CONCURRENT_CHANGE, ConflictError, NotFoundError } from '../errors';
import { isExpired, type StoredFile, toFileView } from './file';

/** The data of tenant files: one item per file under its tenant's partition, each key from the key builders. */

/** Named condition: only a declaration still waiting for its object may become ready or rejected. */
const stillPending = {
  ConditionExpression: 'attribute_exists(pk) AND #status = :pending',
  ExpressionAttributeNames: { '#status': 'status' },
};

export const toStoredFile = (item: Record<string, unknown>): StoredFile => {
  const f = item as StoredFile;
  return {
    ...toFileView(f),
    tenantId: f.tenantId,
    ...(f.ttl !== undefined ? { ttl: f.ttl } : {}),
    ...(f.client ? { client: f.client } : {}),
  };
};

/** The Put of a new file's row: alone for a declared upload, in the inbox ingest's decision transaction. */
export const filePut = (file: StoredFile) => ({
  Put: { TableName: tableName, Item: { ...fileKey(file.tenantId, file.fileId), entity: 'file', ...file }, ConditionExpression: itemIsNew },
});

export const putPendingFile = async (file: StoredFile): Promise<void> => {
  await db.send(new PutCommand(filePut(file).Put));
};

/** The file, read strongly consistent; undefined when unknown in this tenant or an expired declaration. */
export const findFile = async (tenantId: string, fileId: string, now: Date): Promise<StoredFile | undefined> => {
  const out = await db.send(new GetCommand({ TableName: tableName, Key: fileKey(tenantId, fileId), ConsistentRead: true }));
  if (!out.Item) return undefined;
  const file = toStoredFile(out.Item);
  return isExpired(file, now) ? undefined : file;
};

export const getFile = async (tenantId: string, fileId: string, now: Date): Promise<StoredFile> => {
  const file = await findFile(tenantId, fileId, now);
  if (!file) throw new NotFoundError('No such file in this tenant.');
  return file;
};

/**
 * Runs a transaction that a condition guards; false when the condition failed
 * (someone else settled the file). A conflict with a concurrent transaction is
 * thrown: the ingest's retry then finds the file as that one left it.
 */
const guarded = async (items: TransactItem[]): Promise<boolean> => {
  const result = await tryCommit(items);
  if (result.ok) return true;
  if (result.reason === 'conflict') throw new ConflictError(CONCURRENT_CHANGE);
  return false;
};

/**
 * Sets a pending file ready, with its `file.uploaded` audit event in the same
 * transaction. Conditioned on `pending`, so a redelivered event that raced
 * this one writes neither twice.
 */
export const markReady = (file: StoredFile, result: { columns: string[]; rowCount: number }, now: Date): Promise<boolean> =>
  guarded([
    {
      Update: {
        TableName: tableName,
        Key: fileKey(file.tenantId, file.fileId),
        ...stillPending,
        UpdateExpression: 'SET #status = :ready, #columns = :columns, rowCount = :rowCount, processedAt = :now REMOVE #ttl',
        ExpressionAttributeNames: { ...stillPending.ExpressionAttributeNames, '#columns': 'columns', '#ttl': 'ttl' },
        ExpressionAttributeValues: {
          ':pending': 'pending',
          ':ready': 'ready',
          ':columns': result.columns,
          ':rowCount': result.rowCount,
          ':now': now.toISOString(),
        },
      },
    },
    auditPut(
      file.tenantId,
      {
        type: 'file.uploaded',
        actorId: file.uploadedBy,
        targetId: file.fileId,
        details: { name: file.name, size: file.size, rowCount: result.rowCount, columnCount: result.columns.length },
        ...file.client,
      },
      now,
    ),
  ]);

/** The attempt count an item holds; the update or read that returned it asked for it, so its absence is a fault. */
const attemptsOf = (item: Record<string, unknown> | undefined): number => {
  const attempts = item?.ingestAttempts;
  if (typeof attempts !== 'number') throw new Error('The file item holds no ingest attempt count');
  return attempts;
};

/**
 * Starts an ingest attempt of a pending file, before it reads the object,
 * and answers the attempt's number; undefined when the file is no longer
 * pending. A delivery that comes within `spacingMs` of the last counted start
 * is a duplicate of that attempt, not a retry, and takes its number
 * (src/lib/files/ingest-attempts.ts).
 */
export const startIngestAttempt = async (file: StoredFile, now: Date, spacingMs: number): Promise<number | undefined> => {
  const key = fileKey(file.tenantId, file.fileId);
  try {
    const out = await db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: key,
        ConditionExpression: `${stillPending.ConditionExpression} AND (attribute_not_exists(ingestAttemptAt) OR ingestAttemptAt <= :spaced)`,
        ExpressionAttributeNames: stillPending.ExpressionAttributeNames,
        UpdateExpression: 'SET ingestAttempts = if_not_exists(ingestAttempts, :zero) + :one, ingestAttemptAt = :now',
        ExpressionAttributeValues: {
          ':pending': 'pending',
          ':zero': 0,
          ':one': 1,
          ':now': now.getTime(),
          ':spaced': now.getTime() - spacingMs,
        },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return attemptsOf(out.Attributes);
  } catch (err) {
    if (!isConditionFailure(err)) throw err;
  }
  // Settled meanwhile, or an attempt started moments ago: read which.
  const out = await db.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }));
  return out.Item?.status === 'pending' ? attemptsOf(out.Item) : undefined;
};

/** Sets a pending file rejected with its reason; it keeps no TTL, so the uploader can read why. */
export const markRejected = (file: StoredFile, reason: string, now: Date): Promise<boolean> =>
  guarded([
    {
      Update: {
        TableName: tableName,
        Key: fileKey(file.tenantId, file.fileId),
        ...stillPending,
        UpdateExpression: 'SET #status = :rejected, reason = :reason, processedAt = :now REMOVE #ttl',
        ExpressionAttributeNames: { ...stillPending.ExpressionAttributeNames, '#ttl': 'ttl' },
        ExpressionAttributeValues: { ':pending': 'pending', ':rejected': 'rejected', ':reason': reason, ':now': now.toISOString() },
      },
    },
  ]);

/**
 * Deletes the metadata of a file of the caller's tenant with its
 * `file.deleted` audit event, in one transaction; the key comes from the
 * caller's tenant, not from the stored record.
 */
export const deleteFileRecord = async (caller: TenantCaller, file: StoredFile, now: Date): Promise<void> => {
  const deleted = await guarded([
    { Delete: { TableName: tableName, Key: fileKey(caller.tenantId, file.fileId), ConditionExpression: itemExists } },
    auditPut(
      caller.tenantId,
      {
        type: 'file.deleted',
        ...actedBy(caller),
        targetId: file.fileId,
        details: { name: file.name, status: file.status, uploadedBy: file.uploadedBy },
      },
      now,
    ),
  ]);
  if (!deleted) throw new NotFoundError('No such file in this tenant.');
};
