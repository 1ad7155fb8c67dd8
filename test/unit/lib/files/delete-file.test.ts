import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ForbiddenError, NotFoundError } from '../../../../src/lib/errors';
import { deleteFile } from '../../../../src/lib/files/delete-file';
import { ddbMock, inAuditLogOf } from '../../support/dynamodb';
import { BUCKET, callerAs, conditionFailed, FILE_ID, fileItem, KEY, NOW, s3Mock, TENANT, UPLOADER } from './file-fixtures';

vi.hoisted(() => {
  process.env.BUCKET_NAME = 'tenantgate-unit-uploads';
});

const meta = { ip: '198.51.100.4', userAgent: 'test' };

describe('deleteFile', () => {
  beforeEach(() => {
    ddbMock.reset();
    s3Mock.reset();
    ddbMock.on(GetCommand).resolves({ Item: fileItem({ status: 'ready', ttl: undefined }) });
  });

  it('deletes the object first, then the metadata with its file.deleted event in one transaction', async () => {
    // Prepare
    const order: string[] = [];
    const noting = (change: string) => async () => {
      order.push(change);
      return {};
    };
    s3Mock.on(DeleteObjectCommand).callsFake(noting('object'));
    ddbMock.on(TransactWriteCommand).callsFake(noting('metadata'));

    // Act
    await deleteFile(callerAs(UPLOADER, 'member', meta), FILE_ID, NOW);

    // Assess
    expect(order).toEqual(['object', 'metadata']);
    expect(s3Mock.commandCalls(DeleteObjectCommand)[0]?.args[0].input).toEqual({ Bucket: BUCKET, Key: KEY });
    const [remove, audit] = ddbMock.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(remove?.Delete).toMatchObject({
      Key: { pk: `TENANT#${TENANT}`, sk: `FILE#${FILE_ID}` },
      ConditionExpression: 'attribute_exists(pk)',
    });
    expect(audit?.Put?.Item).toMatchObject({
      type: 'file.deleted',
      actorId: UPLOADER,
      targetId: FILE_ID,
      ip: meta.ip,
      details: { name: 'scores.csv', status: 'ready', uploadedBy: UPLOADER },
    });
  });

  it('keeps the metadata when the object cannot be deleted, so the same DELETE can finish the job', async () => {
    s3Mock.on(DeleteObjectCommand).rejects(new Error('S3 unavailable'));

    await expect(deleteFile(callerAs(UPLOADER, 'member', meta), FILE_ID, NOW)).rejects.toThrow('S3 unavailable');

    expect(ddbMock.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it("refuses a member deleting another member's file before touching anything", async () => {
    await expect(deleteFile(callerAs('someone-else', 'member', meta), FILE_ID, NOW)).rejects.toThrow(ForbiddenError);

    expect(s3Mock.commandCalls(DeleteObjectCommand)).toHaveLength(0);
    expect(ddbMock.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it("lets an admin delete anyone's file", async () => {
    s3Mock.on(DeleteObjectCommand).resolves({});
    ddbMock.on(TransactWriteCommand).resolves({});

    await deleteFile(callerAs('an-admin', 'admin', meta), FILE_ID, NOW);

    expect(ddbMock.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });

  it("builds every key from the caller's tenant, never from the stored record", async () => {
    // Prepare: a record that (by a defect elsewhere) names another tenant
    ddbMock.on(GetCommand).resolves({ Item: fileItem({ tenantId: 'another-tenant' }) });
    s3Mock.on(DeleteObjectCommand).resolves({});
    ddbMock.on(TransactWriteCommand).resolves({});

    // Act
    await deleteFile(callerAs(UPLOADER, 'member', meta), FILE_ID, NOW);

    // Assess
    expect(s3Mock.commandCalls(DeleteObjectCommand)[0]?.args[0].input.Key).toBe(KEY);
    const [remove, audit] = ddbMock.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(remove?.Delete?.Key).toEqual({ pk: `TENANT#${TENANT}`, sk: `FILE#${FILE_ID}` });
    expect(audit?.Put?.Item?.pk).toEqual(inAuditLogOf(TENANT));
  });

  it('answers 404 for a file this tenant does not have', async () => {
    ddbMock.on(GetCommand).resolves({});

    await expect(deleteFile(callerAs(UPLOADER, 'owner', meta), FILE_ID, NOW)).rejects.toThrow(NotFoundError);

    expect(s3Mock.commandCalls(DeleteObjectCommand)).toHaveLength(0);
  });

  it('answers 404 when a concurrent delete removed the metadata first', async () => {
    s3Mock.on(DeleteObjectCommand).resolves({});
    ddbMock.on(TransactWriteCommand).rejects(conditionFailed());

    await expect(deleteFile(callerAs(UPLOADER, 'member', meta), FILE_ID, NOW)).rejects.toThrow(NotFoundError);
  });
});
