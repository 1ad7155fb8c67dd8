import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { REASONS } from '../../../../src/lib/files/ingest';
import { INGEST_RETRIES } from '../../../../src/lib/files/ingest-attempts';
import { IngestGaveUpError } from '../../../../src/lib/files/ingest-object';
import { handler } from '../../../../src/triggers/s3/ingest-file';
import { BUCKET, FILE_ID, fileItem, KEY, NOW, s3Mock, TENANT } from '../../lib/files/file-fixtures';
import { lambdaContext } from '../../support/api-gateway';
import { ddbMock } from '../../support/dynamodb';

vi.hoisted(() => {
  process.env.BUCKET_NAME = 'tenantgate-unit-uploads';
});

const s3Event = (key: string, eventName = 'ObjectCreated:Put') => ({
  Records: [
    {
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: 'eu-west-1',
      eventTime: '2025-06-02T09:00:00.000Z',
      eventName,
      s3: { s3SchemaVersion: '1.0', bucket: { name: BUCKET, arn: `arn:aws:s3:::${BUCKET}` }, object: { key, size: 4, sequencer: '0A1B' } },
    },
  ],
});

describe('the ingest trigger', () => {
  beforeEach(() => {
    ddbMock.reset();
    s3Mock.reset();
    ddbMock.on(GetCommand).resolves({});
    s3Mock.on(DeleteObjectCommand).resolves({});
  });

  it("looks up the file of the event's URL-decoded key", async () => {
    // Act: no declaration, so the object is deleted
    await handler(s3Event(KEY.replaceAll('/', '%2F').replace(`%2F${FILE_ID}`, `/${FILE_ID}`)), lambdaContext());

    // Assess
    expect(ddbMock.commandCalls(GetCommand)[0]?.args[0].input.Key).toEqual({ pk: `TENANT#${TENANT}`, sk: `FILE#${FILE_ID}` });
    expect(s3Mock.commandCalls(DeleteObjectCommand)[0]?.args[0].input.Key).toBe(KEY);
  });

  it('fails the invocation after giving up on a file, so that Lambda hands the event to the on-failure queue', async () => {
    // Prepare: the last attempt Lambda makes, after failed ones, on a declaration still in its lifetime
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
    onTestFinished(() => {
      vi.useRealTimers();
    });
    ddbMock.on(GetCommand).resolves({ Item: fileItem() });
    ddbMock.on(UpdateCommand).resolves({ Attributes: { ingestAttempts: INGEST_RETRIES + 1 } });
    ddbMock.on(TransactWriteCommand).resolves({});

    // Act
    const invocation = handler(s3Event(KEY), lambdaContext());

    // Assess: the file is rejected first, then the invocation fails
    await expect(invocation).rejects.toThrow(IngestGaveUpError);
    expect(
      ddbMock.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems?.[0]?.Update?.ExpressionAttributeValues,
    ).toMatchObject({
      ':reason': REASONS.notProcessed,
    });
    expect(s3Mock.commandCalls(DeleteObjectCommand)[0]?.args[0].input.Key).toBe(KEY);
    expect(s3Mock.commandCalls(GetObjectCommand)).toHaveLength(0);
  });

  it("routes an inbox key to the inbox ingest with the event's version, never to a file's ingest", async () => {
    // Prepare: the key as S3 encodes it (the identity id's colon), of a tenant that does not exist
    const identity = 'eu-west-1:1f0e2d3c-4b5a-4978-8695-a4b3c2d1e0f9';
    const inboxKey = `tenants/${TENANT}/inbox/${identity}/my scores.csv`;
    const event = s3Event(`tenants/${TENANT}/inbox/${encodeURIComponent(identity)}/my+scores.csv`);
    Object.assign(event.Records[0]?.s3.object ?? {}, { versionId: 'v1' });
    s3Mock.on(HeadObjectCommand).resolves({ ETag: '"e"', VersionId: 'v1', ContentType: 'text/csv', ContentLength: 4 });

    // Act
    await handler(event, lambdaContext());

    // Assess: the inbox's reads, then the object deleted (that version)
    const readKeys = ddbMock.commandCalls(GetCommand).map((c) => String(c.args[0].input.Key?.sk));
    expect(readKeys).not.toContainEqual(expect.stringMatching(/^FILE#/));
    expect(readKeys).toContain('TENANT');
    expect(s3Mock.commandCalls(DeleteObjectCommand)[0]?.args[0].input).toEqual({ Bucket: BUCKET, Key: inboxKey, VersionId: 'v1' });
  });

  it('ignores events other than ObjectCreated', async () => {
    await handler(s3Event(KEY, 'ObjectRemoved:Delete'), lambdaContext());

    expect(ddbMock.commandCalls(GetCommand)).toHaveLength(0);
  });

  it.each([
    ['no records', { Records: [] }],
    ['a record from another service', { Records: [{ eventSource: 'aws:sqs', eventName: 'x', s3: {} }] }],
    [
      'a record without a key',
      { Records: [{ eventSource: 'aws:s3', eventName: 'ObjectCreated:Put', s3: { bucket: { name: BUCKET }, object: {} } }] },
    ],
  ])('fails on a malformed event: %s', async (_label, event) => {
    await expect(handler(event, lambdaContext())).rejects.toThrow('Malformed S3 event.');

    expect(ddbMock.commandCalls(GetCommand)).toHaveLength(0);
  });
});
