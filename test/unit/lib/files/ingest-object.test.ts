import { DeleteObjectCommand, GetObjectCommand, NoSuchKey, PutObjectTaggingCommand } from '@aws-sdk/client-s3';
import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { REASONS } from '../../../../src/lib/files/ingest';
import { ingestObject } from '../../../../src/lib/files/ingest-object';
import { ddbMock } from '../../support/dynamodb';
import { BUCKET, conditionFailed, FILE_ID, fileItem, KEY, NOW, objectOf, s3Mock, TENANT, UPLOADER } from './file-fixtures';

vi.hoisted(() => {
  process.env.BUCKET_NAME = 'tenantgate-unit-uploads';
});

const CSV = 'id,name\n1,a\n2,b\n3,c\n';
const landed = { bucket: BUCKET, key: KEY };
const now = () => NOW;

/** The order of the calls that change something, across both services. */
const recordChanges = () => {
  const changes: string[] = [];
  const noting = (change: string) => async () => {
    changes.push(change);
    return {};
  };
  s3Mock.on(PutObjectTaggingCommand).callsFake(noting('tag'));
  s3Mock.on(DeleteObjectCommand).callsFake(noting('delete-object'));
  ddbMock.on(TransactWriteCommand).callsFake(noting('transaction'));
  return changes;
};

const transactItems = () => ddbMock.commandCalls(TransactWriteCommand).flatMap((c) => c.args[0].input.TransactItems ?? []);

describe('ingestObject', () => {
  beforeEach(() => {
    ddbMock.reset();
    s3Mock.reset();
  });

  it('sets a pending CSV ready: re-tags the object, then writes the result and file.uploaded in one transaction', async () => {
    // Prepare
    ddbMock.on(GetCommand).resolves({ Item: fileItem({ size: CSV.length }) });
    s3Mock.on(GetObjectCommand).resolves(objectOf(CSV));
    const changes = recordChanges();

    // Act
    const outcome = await ingestObject(landed, now);

    // Assess
    expect(outcome).toBe('ready');
    expect(changes).toEqual(['tag', 'transaction']);
    expect(s3Mock.commandCalls(PutObjectTaggingCommand)[0]?.args[0].input).toEqual({
      Bucket: BUCKET,
      Key: KEY,
      Tagging: { TagSet: [{ Key: 'tenantgate-ingest', Value: 'done' }] },
    });
    const [update, audit] = transactItems();
    expect(update?.Update).toMatchObject({
      Key: { pk: `TENANT#${TENANT}`, sk: `FILE#${FILE_ID}` },
      ConditionExpression: 'attribute_exists(pk) AND #status = :pending',
      UpdateExpression: expect.stringContaining('REMOVE #ttl'),
      ExpressionAttributeValues: expect.objectContaining({ ':ready': 'ready', ':columns': ['id', 'name'], ':rowCount': 3 }),
    });
    expect(audit?.Put?.Item).toMatchObject({
      pk: `TENANT#${TENANT}#AUDIT`,
      type: 'file.uploaded',
      actorId: UPLOADER,
      targetId: FILE_ID,
      ip: '203.0.113.7',
      details: { name: 'scores.csv', size: CSV.length, rowCount: 3, columnCount: 2 },
    });
  });

  it('sets a pending file rejected with its reason, then deletes its bytes', async () => {
    // Prepare
    const garbage = Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x02]);
    ddbMock.on(GetCommand).resolves({ Item: fileItem({ size: garbage.length }) });
    s3Mock.on(GetObjectCommand).resolves(objectOf(garbage));
    const changes = recordChanges();

    // Act
    const outcome = await ingestObject(landed, now);

    // Assess
    expect(outcome).toBe('rejected');
    expect(changes).toEqual(['transaction', 'delete-object']);
    expect(transactItems()).toHaveLength(1);
    expect(transactItems()[0]?.Update?.ExpressionAttributeValues).toMatchObject({ ':rejected': 'rejected', ':reason': REASONS.notText });
    expect(s3Mock.commandCalls(PutObjectTaggingCommand)).toHaveLength(0);
  });

  it('rejects an object of another size than declared without reading it', async () => {
    // Prepare
    ddbMock.on(GetCommand).resolves({ Item: fileItem({ size: 18 }) });
    const object = objectOf('a\n1\n', 4);
    s3Mock.on(GetObjectCommand).resolves(object);
    recordChanges();

    // Act
    const outcome = await ingestObject(landed, now);

    // Assess
    expect(outcome).toBe('rejected');
    expect(transactItems()[0]?.Update?.ExpressionAttributeValues).toMatchObject({ ':reason': REASONS.sizeMismatch(4, 18) });
    expect((object.Body as unknown as { destroyed: boolean }).destroyed).toBe(true);
  });

  it.each([
    ['an unknown file', undefined],
    ['an expired declaration', fileItem({ ttl: Math.floor(NOW.getTime() / 1000) - 1 })],
  ])('deletes an object that lands for %s', async (_label, item) => {
    // Prepare
    ddbMock.on(GetCommand).resolves({ Item: item });
    const changes = recordChanges();

    // Act
    const outcome = await ingestObject(landed, now);

    // Assess
    expect(outcome).toBe('orphan-deleted');
    expect(changes).toEqual(['delete-object']);
    expect(s3Mock.commandCalls(GetObjectCommand)).toHaveLength(0);
  });

  it('does nothing when the event comes again for a ready file', async () => {
    ddbMock.on(GetCommand).resolves({ Item: fileItem({ status: 'ready', rowCount: 3, columns: ['id', 'name'], ttl: undefined }) });
    const changes = recordChanges();

    const outcome = await ingestObject(landed, now);

    expect(outcome).toBe('duplicate');
    expect(changes).toEqual([]);
    expect(s3Mock.commandCalls(GetObjectCommand)).toHaveLength(0);
  });

  it('deletes the bytes again when the event comes again for a rejected file', async () => {
    ddbMock.on(GetCommand).resolves({ Item: fileItem({ status: 'rejected', reason: REASONS.noHeader, ttl: undefined }) });
    const changes = recordChanges();

    const outcome = await ingestObject(landed, now);

    expect(outcome).toBe('duplicate');
    expect(changes).toEqual(['delete-object']);
  });

  it('settles on what a concurrent delivery wrote when it loses the race', async () => {
    // Prepare: pending when read, ready when read again after the condition failed
    ddbMock
      .on(GetCommand)
      .resolvesOnce({ Item: fileItem({ size: CSV.length }) })
      .resolves({ Item: fileItem({ size: CSV.length, status: 'ready', ttl: undefined }) });
    s3Mock.on(GetObjectCommand).resolves(objectOf(CSV));
    s3Mock.on(PutObjectTaggingCommand).resolves({});
    ddbMock.on(TransactWriteCommand).rejects(conditionFailed());

    // Act
    const outcome = await ingestObject(landed, now);

    // Assess
    expect(outcome).toBe('duplicate');
    expect(s3Mock.commandCalls(DeleteObjectCommand)).toHaveLength(0);
  });

  it('deletes the bytes when the file was deleted while it was being read', async () => {
    ddbMock
      .on(GetCommand)
      .resolvesOnce({ Item: fileItem({ size: CSV.length }) })
      .resolves({});
    s3Mock.on(GetObjectCommand).resolves(objectOf(CSV));
    s3Mock.on(PutObjectTaggingCommand).resolves({});
    s3Mock.on(DeleteObjectCommand).resolves({});
    ddbMock.on(TransactWriteCommand).rejects(conditionFailed());

    const outcome = await ingestObject(landed, now);

    expect(outcome).toBe('orphan-deleted');
    expect(s3Mock.commandCalls(DeleteObjectCommand)[0]?.args[0].input).toEqual({ Bucket: BUCKET, Key: KEY });
  });

  it('writes nothing when the object is already gone', async () => {
    ddbMock.on(GetCommand).resolves({ Item: fileItem() });
    s3Mock.on(GetObjectCommand).rejects(new NoSuchKey({ message: 'gone', $metadata: { httpStatusCode: 404 } }));
    const changes = recordChanges();

    const outcome = await ingestObject(landed, now);

    expect(outcome).toBe('gone');
    expect(changes).toEqual([]);
  });

  it.each([
    ['another bucket', { bucket: 'someone-elses', key: KEY }],
    ['a key outside the tenant files', { bucket: BUCKET, key: 'exports/report.csv' }],
    ['a key that climbs', { bucket: BUCKET, key: `tenants/${TENANT}/files/../../x` }],
  ])('leaves alone an object in %s', async (_label, object) => {
    const changes = recordChanges();

    const outcome = await ingestObject(object, now);

    expect(outcome).toBe('ignored');
    expect(changes).toEqual([]);
    expect(ddbMock.commandCalls(GetCommand)).toHaveLength(0);
  });

  it('fails on a database fault, so that Lambda delivers the event again', async () => {
    ddbMock.on(GetCommand).resolves({ Item: fileItem({ size: CSV.length }) });
    s3Mock.on(GetObjectCommand).resolves(objectOf(CSV));
    s3Mock.on(PutObjectTaggingCommand).resolves({});
    ddbMock.on(TransactWriteCommand).rejects(new Error('ProvisionedThroughputExceeded'));

    await expect(ingestObject(landed, now)).rejects.toThrow('ProvisionedThroughputExceeded');
  });
});
