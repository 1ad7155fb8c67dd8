import { Readable } from 'node:stream';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteObjectCommand, GetObjectCommand, NoSuchKey, PutObjectTaggingCommand } from '@aws-sdk/client-s3';
import { GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { REASONS } from '../../../../src/lib/files/ingest';
import { ATTEMPT_SPACING_MS, INGEST_RETRIES } from '../../../../src/lib/files/ingest-attempts';
import { ingestObject } from '../../../../src/lib/files/ingest-object';
import { ddbMock, inAuditLogOf } from '../../support/dynamodb';
import { BUCKET, conditionFailed, FILE_ID, fileItem, KEY, NOW, objectOf, s3Mock, TENANT, UPLOADER } from './file-fixtures';

vi.hoisted(() => {
  process.env.BUCKET_NAME = 'tenantgate-unit-uploads';
});

const CSV = 'id,name\n1,a\n2,b\n3,c\n';
const landed = { bucket: BUCKET, key: KEY };
const now = () => NOW;

/** The order of the calls that change something, across both services; `attempt` is what the attempt counter answers. */
const recordChanges = (attempt = 1) => {
  const changes: string[] = [];
  const noting =
    (change: string, output = {}) =>
    async () => {
      changes.push(change);
      return output;
    };
  s3Mock.on(PutObjectTaggingCommand).callsFake(noting('tag'));
  s3Mock.on(DeleteObjectCommand).callsFake(noting('delete-object'));
  ddbMock.on(TransactWriteCommand).callsFake(noting('transaction'));
  ddbMock.on(UpdateCommand).callsFake(noting('count-attempt', { Attributes: { ingestAttempts: attempt } }));
  return changes;
};

/** An object whose read fails half-way, as when the connection drops or the function is stopped mid-read. */
const failingObject = (size: number) => ({
  Body: new Readable({
    read() {
      this.push('id,name\n1,a\n');
      this.destroy(new Error('connection reset'));
    },
  }) as never,
  ContentLength: size,
});

const transactItems = () => ddbMock.commandCalls(TransactWriteCommand).flatMap((c) => c.args[0].input.TransactItems ?? []);

describe('ingestObject', () => {
  beforeEach(() => {
    ddbMock.reset();
    s3Mock.reset();
    ddbMock.on(UpdateCommand).resolves({ Attributes: { ingestAttempts: 1 } });
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
    expect(changes).toEqual(['count-attempt', 'tag', 'transaction']);
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
      pk: inAuditLogOf(TENANT),
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
    expect(changes).toEqual(['count-attempt', 'transaction', 'delete-object']);
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

  it('writes no verdict when the object is already gone', async () => {
    ddbMock.on(GetCommand).resolves({ Item: fileItem() });
    s3Mock.on(GetObjectCommand).rejects(new NoSuchKey({ message: 'gone', $metadata: { httpStatusCode: 404 } }));
    const changes = recordChanges();

    const outcome = await ingestObject(landed, now);

    expect(outcome).toBe('gone');
    expect(changes).toEqual(['count-attempt']);
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

  describe('attempts that fail', () => {
    /**
     * The file's item as the table keeps it: the attempt update applies its
     * condition (pending, and the last counted start at or before `:spaced`),
     * and reads answer the attempt count.
     */
    const attemptTable = (changes: string[]) => {
      const item: Record<string, unknown> = fileItem({ size: CSV.length });
      ddbMock.on(GetCommand).callsFake(async () => ({ Item: { ...item } }));
      ddbMock.on(UpdateCommand).callsFake(async (input: { ExpressionAttributeValues: Record<string, number> }) => {
        const values = input.ExpressionAttributeValues;
        const last = item.ingestAttemptAt as number | undefined;
        if (item.status !== 'pending' || (last !== undefined && last > (values[':spaced'] ?? 0))) {
          throw new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
        }
        changes.push('count-attempt');
        item.ingestAttempts = ((item.ingestAttempts as number | undefined) ?? 0) + 1;
        item.ingestAttemptAt = values[':now'];
        return { Attributes: { ingestAttempts: item.ingestAttempts, ingestAttemptAt: item.ingestAttemptAt } };
      });
      return item;
    };
    /** When Lambda runs an attempt: at once, then after a minute's and two minutes' wait (and the runs before). */
    const lambdaAttemptTimes = Array.from({ length: INGEST_RETRIES + 1 }, (_, i) => new Date(NOW.getTime() + i * 3 * 60_000));

    it('counts the attempt on the pending file, conditioned on pending and on the last start, before it reads the object', async () => {
      // Prepare
      ddbMock.on(GetCommand).resolves({ Item: fileItem({ size: CSV.length }) });
      s3Mock.on(GetObjectCommand).resolves(objectOf(CSV));
      recordChanges();

      // Act
      await ingestObject(landed, now);

      // Assess
      expect(ddbMock.commandCalls(UpdateCommand)).toHaveLength(1);
      expect(ddbMock.commandCalls(UpdateCommand)[0]?.args[0].input).toMatchObject({
        Key: { pk: `TENANT#${TENANT}`, sk: `FILE#${FILE_ID}` },
        ConditionExpression:
          'attribute_exists(pk) AND #status = :pending AND (attribute_not_exists(ingestAttemptAt) OR ingestAttemptAt <= :spaced)',
        UpdateExpression: 'SET ingestAttempts = if_not_exists(ingestAttempts, :zero) + :one, ingestAttemptAt = :now',
        ExpressionAttributeValues: expect.objectContaining({ ':now': NOW.getTime(), ':spaced': NOW.getTime() - ATTEMPT_SPACING_MS }),
      });
    });

    it('rejects the file as not processed on the last attempt, without reading the object again', async () => {
      // Prepare: every earlier attempt failed
      ddbMock.on(GetCommand).resolves({ Item: fileItem({ size: CSV.length }) });
      s3Mock.on(GetObjectCommand).resolves(objectOf(CSV));
      const changes = recordChanges(INGEST_RETRIES + 1);

      // Act
      const outcome = await ingestObject(landed, now);

      // Assess: the verdict alone, then the bytes go; no tag, no audit event, nothing read
      expect(outcome).toBe('gave-up');
      expect(changes).toEqual(['count-attempt', 'transaction', 'delete-object']);
      expect(transactItems()).toEqual([
        {
          Update: expect.objectContaining({
            ConditionExpression: 'attribute_exists(pk) AND #status = :pending',
            ExpressionAttributeValues: expect.objectContaining({ ':rejected': 'rejected', ':reason': REASONS.notProcessed }),
          }),
        },
      ]);
      expect(s3Mock.commandCalls(GetObjectCommand)).toHaveLength(0);
    });

    it('leaves nothing half-written by attempts that fail mid-read, and the last one Lambda makes rejects the file', async () => {
      // Prepare: every read of the object breaks off
      const changes = recordChanges();
      attemptTable(changes);
      s3Mock.on(GetObjectCommand).callsFake(async () => failingObject(CSV.length));

      // Act: as Lambda runs it, once and then once per retry
      const outcomes: unknown[] = [];
      for (const at of lambdaAttemptTimes) outcomes.push(await ingestObject(landed, () => at).catch((err: unknown) => err));

      // Assess
      expect(outcomes).toEqual([
        ...Array.from({ length: INGEST_RETRIES }, () => expect.objectContaining({ message: 'connection reset' })),
        'gave-up',
      ]);
      expect(changes).toEqual([...lambdaAttemptTimes.map(() => 'count-attempt'), 'transaction', 'delete-object']);
      expect(transactItems()).toHaveLength(1);
      expect(transactItems()[0]?.Update?.ExpressionAttributeValues).toMatchObject({ ':reason': REASONS.notProcessed });
      expect(s3Mock.commandCalls(GetObjectCommand)).toHaveLength(INGEST_RETRIES);
    });

    it('counts deliveries of one event that arrive together as one attempt: none of them gives up', async () => {
      // Prepare: one attempt more than the retries, all within moments
      const changes = recordChanges();
      attemptTable(changes);
      s3Mock.on(GetObjectCommand).callsFake(async () => failingObject(CSV.length));
      const together = Array.from({ length: INGEST_RETRIES + 1 }, (_, i) => new Date(NOW.getTime() + i * 1000));

      // Act
      const outcomes: unknown[] = [];
      for (const at of together) outcomes.push(await ingestObject(landed, () => at).catch((err: unknown) => err));

      // Assess: each read the object; the file is still pending for Lambda's retries
      expect(outcomes.every((outcome) => outcome instanceof Error)).toBe(true);
      expect(changes).toEqual(['count-attempt']);
      expect(s3Mock.commandCalls(GetObjectCommand)).toHaveLength(together.length);
      expect(transactItems()).toHaveLength(0);
    });

    it('gives up on a delivery that arrives together with the last attempt, too', async () => {
      // Prepare: the last attempt has just started
      const changes = recordChanges();
      const item = attemptTable(changes);
      Object.assign(item, { ingestAttempts: INGEST_RETRIES + 1, ingestAttemptAt: NOW.getTime() - 1000 });

      // Act
      const outcome = await ingestObject(landed, now);

      // Assess
      expect(outcome).toBe('gave-up');
      expect(changes).toEqual(['transaction', 'delete-object']);
      expect(s3Mock.commandCalls(GetObjectCommand)).toHaveLength(0);
    });

    it('settles on what is there when the file stopped being pending before its attempt was counted', async () => {
      // Prepare: pending when read, ready by the time the attempt is counted
      ddbMock
        .on(GetCommand)
        .resolvesOnce({ Item: fileItem({ size: CSV.length }) })
        .resolves({ Item: fileItem({ size: CSV.length, status: 'ready', ttl: undefined }) });
      ddbMock.on(UpdateCommand).rejects(new ConditionalCheckFailedException({ message: 'not pending', $metadata: {} }));

      // Act
      const outcome = await ingestObject(landed, now);

      // Assess
      expect(outcome).toBe('duplicate');
      expect(s3Mock.commandCalls(GetObjectCommand)).toHaveLength(0);
      expect(ddbMock.commandCalls(TransactWriteCommand)).toHaveLength(0);
    });
  });

  it('fails on a database fault, so that Lambda delivers the event again', async () => {
    ddbMock.on(GetCommand).resolves({ Item: fileItem({ size: CSV.length }) });
    s3Mock.on(GetObjectCommand).resolves(objectOf(CSV));
    s3Mock.on(PutObjectTaggingCommand).resolves({});
    ddbMock.on(TransactWriteCommand).rejects(new Error('ProvisionedThroughputExceeded'));

    await expect(ingestObject(landed, now)).rejects.toThrow('ProvisionedThroughputExceeded');
  });
});
