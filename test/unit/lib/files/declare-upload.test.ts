import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { NotFoundError } from '../../../../src/lib/errors';
import { declareUpload } from '../../../../src/lib/files/declare-upload';
import { PENDING_GRACE_SECONDS } from '../../../../src/lib/files/file';
import { describeFile } from '../../../../src/lib/files/file-queries';
import { ddbMock } from '../../support/dynamodb';
import { callerAs, FILE_ID, fileItem, KEY, NOW, TENANT, UPLOADER } from './file-fixtures';

vi.hoisted(() => {
  process.env.BUCKET_NAME = 'tenantgate-unit-uploads';
});

describe('declareUpload', () => {
  beforeEach(() => {
    ddbMock.reset();
    ddbMock.on(PutCommand).resolves({});
  });

  it('stores a pending file under a new id, expiring a grace period after its URL', async () => {
    // Act
    const { file, upload } = await declareUpload(
      callerAs(UPLOADER, 'member'),
      { name: 'scores.csv', contentType: 'text/csv', size: 18 },
      NOW,
    );

    // Assess
    const put = ddbMock.commandCalls(PutCommand)[0]?.args[0].input;
    expect(put?.ConditionExpression).toBe('attribute_not_exists(pk)');
    expect(put?.Item).toMatchObject({
      pk: `TENANT#${TENANT}`,
      sk: `FILE#${file.fileId}`,
      status: 'pending',
      uploadedBy: UPLOADER,
      ttl: Date.parse(upload.expiresAt) / 1000 + PENDING_GRACE_SECONDS,
    });
    expect(decodeURIComponent(new URL(upload.url).pathname)).toBe(`/tenants/${TENANT}/files/${file.fileId}`);
    expect(file).toEqual({
      fileId: file.fileId,
      name: 'scores.csv',
      contentType: 'text/csv',
      size: 18,
      status: 'pending',
      uploadedBy: UPLOADER,
      createdAt: NOW.toISOString(),
    });
  });
});

describe('describeFile', () => {
  beforeEach(() => {
    ddbMock.reset();
  });

  it('adds a download URL to a ready file, and shows no internal field', async () => {
    ddbMock.on(GetCommand).resolves({ Item: fileItem({ status: 'ready', rowCount: 3, columns: ['id'], ttl: undefined }) });

    const file = await describeFile(TENANT, FILE_ID, NOW);

    expect(Object.keys(file).sort()).toEqual(
      ['columns', 'contentType', 'createdAt', 'download', 'fileId', 'name', 'rowCount', 'size', 'status', 'uploadedBy'].sort(),
    );
    expect(decodeURIComponent(new URL(file.download?.url ?? '').pathname)).toBe(`/${KEY}`);
  });

  it.each([
    ['pending', {}],
    ['rejected', { reason: 'The file has no header row.', ttl: undefined }],
  ])('offers no download for a %s file', async (status, fields) => {
    ddbMock.on(GetCommand).resolves({ Item: fileItem({ status, ...fields }) });

    const file = await describeFile(TENANT, FILE_ID, NOW);

    expect(file).not.toHaveProperty('download');
    expect(file.status).toBe(status);
  });

  it('answers 404 for an expired declaration DynamoDB has not deleted yet', async () => {
    ddbMock.on(GetCommand).resolves({ Item: fileItem({ ttl: Math.floor(NOW.getTime() / 1000) }) });

    await expect(describeFile(TENANT, FILE_ID, NOW)).rejects.toThrow(NotFoundError);
  });

  it("reads only the caller tenant's key", async () => {
    ddbMock.on(GetCommand).resolves({});

    await expect(describeFile('tenant-b', FILE_ID, NOW)).rejects.toThrow(NotFoundError);

    expect(ddbMock.commandCalls(GetCommand)[0]?.args[0].input.Key).toEqual({ pk: 'TENANT#tenant-b', sk: `FILE#${FILE_ID}` });
  });
});
