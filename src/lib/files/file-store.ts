import { GetCommand, PutCommand, TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { auditPut } from '../audit/audit-store';
import { db, tableName } from '../db/client';
import { isConditionFailure, itemIsNew } from '../db/conditions';
import { fileKey, filePrefix } from '../db/keys';
import { pagedQuery } from '../db/paged-query';
import { prefixQuery } from '../db/queries';
import { NotFoundError } from '../errors';
import type { ListQuery, Page } from '../pagination/list-query';
import { type FileView, isExpired, type StoredFile, toFileView } from './file';

/** The data of tenant files: one item per file under its tenant's partition, each key from the key builders. */

type Meta = { ip?: string; userAgent?: string };

/** Named condition: only a declaration still waiting for its object may become ready or rejected. */
const stillPending = {
  ConditionExpression: 'attribute_exists(pk) AND #status = :pending',
  ExpressionAttributeNames: { '#status': 'status' },
};

const toStoredFile = (item: Record<string, unknown>): StoredFile => {
  const f = item as StoredFile;
  return {
    ...toFileView(f),
    tenantId: f.tenantId,
    ...(f.ttl !== undefined ? { ttl: f.ttl } : {}),
    ...(f.client ? { client: f.client } : {}),
  };
};

export const putPendingFile = async (file: StoredFile): Promise<void> => {
  await db.send(
    new PutCommand({
      TableName: tableName,
      Item: { ...fileKey(file.tenantId, file.fileId), entity: 'file', ...file },
      ConditionExpression: itemIsNew,
    }),
  );
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

/** Newest first (file ids are time-ordered); expired declarations are left out. */
export const listFiles = (tenantId: string, list: ListQuery, now: Date = new Date()): Promise<Page<FileView>> => {
  const query = prefixQuery(filePrefix(tenantId));
  return pagedQuery(
    { tenantId, list: 'files' },
    list,
    {
      ...query,
      FilterExpression: 'attribute_not_exists(#ttl) OR #ttl > :now',
      ExpressionAttributeNames: { '#ttl': 'ttl' },
      ExpressionAttributeValues: { ...query.ExpressionAttributeValues, ':now': Math.floor(now.getTime() / 1000) },
      ScanIndexForward: false,
    },
    (item) => toFileView(toStoredFile(item)),
  );
};

/** Runs a transaction that a condition guards; false when the condition failed (someone else settled the file). */
const guarded = async (input: TransactWriteCommandInput): Promise<boolean> => {
  try {
    await db.send(new TransactWriteCommand(input));
    return true;
  } catch (err) {
    if (isConditionFailure(err)) return false;
    throw err;
  }
};

/**
 * Sets a pending file ready, with its `file.uploaded` audit event in the same
 * transaction. Conditioned on `pending`, so a redelivered event that raced
 * this one writes neither twice.
 */
export const markReady = (file: StoredFile, result: { columns: string[]; rowCount: number }, now: Date): Promise<boolean> =>
  guarded({
    TransactItems: [
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
    ],
  });

/** Sets a pending file rejected with its reason; it keeps no TTL, so the uploader can read why. */
export const markRejected = (file: StoredFile, reason: string, now: Date): Promise<boolean> =>
  guarded({
    TransactItems: [
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
    ],
  });

/** Deletes the metadata with its `file.deleted` audit event, in one transaction. */
export const deleteFileRecord = async (file: StoredFile, actorId: string, meta: Meta, now: Date): Promise<void> => {
  const deleted = await guarded({
    TransactItems: [
      { Delete: { TableName: tableName, Key: fileKey(file.tenantId, file.fileId), ConditionExpression: 'attribute_exists(pk)' } },
      auditPut(
        file.tenantId,
        {
          type: 'file.deleted',
          actorId,
          targetId: file.fileId,
          details: { name: file.name, status: file.status, uploadedBy: file.uploadedBy },
          ...meta,
        },
        now,
      ),
    ],
  });
  if (!deleted) throw new NotFoundError('No such file in this tenant.');
};
