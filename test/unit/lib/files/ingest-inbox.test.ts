import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { CopyObjectCommand, DeleteObjectCommand, HeadObjectCommand, S3ServiceException } from '@aws-sdk/client-s3';
import { GetCommand, type GetCommandInput, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { identityOwnerKey, inboxUploadKey, tenantKey, userMembershipKey } from '../../../../src/lib/db/keys';
import { REFUSALS } from '../../../../src/lib/files/inbox';
import { ingestInboxObject } from '../../../../src/lib/files/ingest-inbox';
import { ddbMock, inAuditLogOf } from '../../support/dynamodb';
import { BUCKET, NOW, s3Mock, TENANT } from './file-fixtures';

vi.hoisted(() => {
  process.env.BUCKET_NAME = 'tenantgate-unit-uploads';
});

const IDENTITY = 'eu-west-1:1f0e2d3c-4b5a-4978-8695-a4b3c2d1e0f9';
const USER = 'member-sub';
const KEY = `tenants/${TENANT}/inbox/${IDENTITY}/scores.csv`;
const VERSION = 'v-3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY';
const MARKER = inboxUploadKey(TENANT, KEY, VERSION);
const now = () => NOW;
/** An event that names the version, as S3 sends for the versioned bucket. */
const landed = { bucket: BUCKET, key: KEY, versionId: VERSION };

type Item = Record<string, unknown>;
const at = (key: { pk: string; sk: string }) => `${key.pk}|${key.sk}`;

/** The table as a map the mocked GetItem reads; each test puts what it needs. */
const table = new Map<string, Item>();
const put = (key: { pk: string; sk: string }, fields: Item = {}) => table.set(at(key), { ...key, ...fields });

const world = (role: string | undefined, options: { registered?: boolean; tenant?: boolean } = {}) => {
  if (options.tenant !== false) put(tenantKey(TENANT), { name: 'Acme' });
  if (options.registered !== false) put(identityOwnerKey(IDENTITY), { userId: USER });
  if (role) put(userMembershipKey(TENANT, USER), { tenantId: TENANT, role });
};

const objectHead = (fields: Item = {}) => ({
  ETag: '"9a0364b9e99bb480dd25e1f0284c8555"',
  VersionId: VERSION,
  LastModified: new Date('2025-06-02T08:59:59.000Z'),
  ContentType: 'text/csv',
  ContentLength: 18,
  ...fields,
});

/** The order of the calls that change something, across both services. */
const recordChanges = () => {
  const changes: string[] = [];
  const noting = (change: string) => async () => {
    changes.push(change);
    return {};
  };
  ddbMock.on(TransactWriteCommand).callsFake(noting('transaction'));
  ddbMock.on(UpdateCommand).callsFake(noting('mark-moved'));
  s3Mock.on(CopyObjectCommand).callsFake(noting('copy'));
  s3Mock.on(DeleteObjectCommand).callsFake(noting('delete'));
  return changes;
};

const transactItems = () => ddbMock.commandCalls(TransactWriteCommand).flatMap((c) => c.args[0].input.TransactItems ?? []);
const written = (sk: RegExp) => transactItems().find((item) => sk.test(String(item.Put?.Item?.sk)))?.Put?.Item;

const s3Error = (name: string, status: number) => new S3ServiceException({ name, $fault: 'client', $metadata: { httpStatusCode: status } });

describe('ingestInboxObject', () => {
  beforeEach(() => {
    ddbMock.reset();
    s3Mock.reset();
    table.clear();
    ddbMock.on(GetCommand).callsFake(async (input: GetCommandInput) => ({ Item: table.get(at(input.Key as { pk: string; sk: string })) }));
    s3Mock.on(HeadObjectCommand).resolves(objectHead());
  });

  it("registers a member's upload as a pending file of theirs, then copies it under files/ and deletes it from the inbox", async () => {
    // Prepare
    world('member');
    const changes = recordChanges();

    // Act
    const outcome = await ingestInboxObject(landed, now);

    // Assess: decided once (marker and file in one transaction), then moved
    expect(outcome).toBe('registered');
    expect(changes).toEqual(['transaction', 'copy', 'delete', 'mark-moved']);
    const file = written(/^FILE#/);
    expect(file).toMatchObject({
      tenantId: TENANT,
      name: 'scores.csv',
      contentType: 'text/csv',
      size: 18,
      status: 'pending',
      uploadedBy: USER,
      createdAt: NOW.toISOString(),
    });
    expect(written(/^INBOX#/)).toMatchObject({ ...MARKER, outcome: 'registered', fileId: file?.fileId, objectKey: KEY, uploadId: VERSION });
    expect(transactItems().every((item) => item.Put?.ConditionExpression === 'attribute_not_exists(pk)')).toBe(true);
    // The file.uploaded event comes with the verdict of the CSV check, as for a declared upload.
    expect(transactItems()).toHaveLength(2);
    expect(s3Mock.commandCalls(CopyObjectCommand)[0]?.args[0].input).toEqual({
      Bucket: BUCKET,
      Key: `tenants/${TENANT}/files/${String(file?.fileId)}`,
      CopySource: `${BUCKET}/${KEY}?versionId=${encodeURIComponent(VERSION)}`,
      IfNoneMatch: '*',
      TaggingDirective: 'REPLACE',
      Tagging: 'tenantgate-ingest=pending',
    });
    expect(s3Mock.commandCalls(DeleteObjectCommand)[0]?.args[0].input).toEqual({ Bucket: BUCKET, Key: KEY, VersionId: VERSION });
    expect(ddbMock.commandCalls(UpdateCommand)[0]?.args[0].input).toMatchObject({
      Key: MARKER,
      ExpressionAttributeValues: { ':moved': true },
    });
  });

  it.each([
    ['a viewer', 'viewer', {}, REFUSALS.mayNotUpload, USER],
    ['a user who is not a member', undefined, {}, REFUSALS.notAMember, USER],
    ['an identity nobody registered', undefined, { registered: false }, REFUSALS.unknownIdentity, IDENTITY],
  ])('refuses the upload of %s: audited in the tenant, object deleted, no file', async (_who, role, options, reason, actorId) => {
    // Prepare
    world(role, options);
    const changes = recordChanges();

    // Act
    const outcome = await ingestInboxObject(landed, now);

    // Assess
    expect(outcome).toBe('refused');
    expect(changes).toEqual(['transaction', 'delete']);
    expect(written(/^INBOX#/)).toMatchObject({ outcome: 'refused' });
    expect(written(/^FILE#/)).toBeUndefined();
    const audit = transactItems().find((item) => item.Put?.Item?.type)?.Put?.Item;
    expect(audit).toMatchObject({
      pk: inAuditLogOf(TENANT),
      type: 'file.inbox_rejected',
      actorId,
      details: { key: KEY, identityId: IDENTITY, reason },
    });
    expect(s3Mock.commandCalls(CopyObjectCommand)).toHaveLength(0);
  });

  it('deletes an object of a tenant that does not exist, and writes nothing', async () => {
    // Prepare
    world('owner', { tenant: false });
    const changes = recordChanges();

    // Act
    const outcome = await ingestInboxObject(landed, now);

    // Assess
    expect(outcome).toBe('discarded');
    expect(changes).toEqual(['delete']);
  });

  it.each([
    ['over the size limit', { ContentLength: 100 * 1024 * 1024 + 1 }, /the most an upload may have is 104857600/],
    ['of a content type not allowed', { ContentType: 'application/pdf' }, /content type \(application\/pdf\) is not allowed/],
  ])("rejects a member's upload %s: a rejected file with the reason, audited, object deleted", async (_case, head, reason) => {
    // Prepare
    world('member');
    s3Mock.on(HeadObjectCommand).resolves(objectHead(head));
    const changes = recordChanges();

    // Act
    const outcome = await ingestInboxObject(landed, now);

    // Assess
    expect(outcome).toBe('rejected');
    expect(changes).toEqual(['transaction', 'delete']);
    const file = written(/^FILE#/);
    expect(file).toMatchObject({ status: 'rejected', reason: expect.stringMatching(reason), uploadedBy: USER, name: 'scores.csv' });
    expect(file?.ttl).toBeUndefined();
    expect(written(/^INBOX#/)).toMatchObject({ outcome: 'rejected', fileId: file?.fileId });
    expect(transactItems().find((item) => item.Put?.Item?.type)?.Put?.Item).toMatchObject({
      type: 'file.inbox_rejected',
      actorId: USER,
      targetId: file?.fileId,
      details: { key: KEY, reason: file?.reason },
    });
    expect(s3Mock.commandCalls(CopyObjectCommand)).toHaveLength(0);
  });

  describe('a delivery of an upload already decided', () => {
    it('touches nothing once the registered upload was moved', async () => {
      // Prepare
      world('member');
      put(MARKER, { outcome: 'registered', fileId: 'file-1', moved: true });
      const changes = recordChanges();

      // Act
      const outcome = await ingestInboxObject(landed, now);

      // Assess: not even a look at the object
      expect(outcome).toBe('duplicate');
      expect(changes).toEqual([]);
      expect(s3Mock.commandCalls(HeadObjectCommand)).toHaveLength(0);
    });

    it('finishes the move of a file still pending, without deciding again', async () => {
      // Prepare
      world('member');
      put(MARKER, { outcome: 'registered', fileId: 'file-1' });
      put({ pk: `TENANT#${TENANT}`, sk: 'FILE#file-1' }, { tenantId: TENANT, fileId: 'file-1', status: 'pending', uploadedBy: USER });
      const changes = recordChanges();

      // Act
      const outcome = await ingestInboxObject(landed, now);

      // Assess
      expect(outcome).toBe('duplicate');
      expect(changes).toEqual(['copy', 'delete', 'mark-moved']);
      expect(s3Mock.commandCalls(CopyObjectCommand)[0]?.args[0].input.Key).toBe(`tenants/${TENANT}/files/file-1`);
    });

    it('does not copy again once the file is no longer pending', async () => {
      // Prepare: ingested already (or deleted by its uploader); only the inbox delete is missing
      world('member');
      put(MARKER, { outcome: 'registered', fileId: 'file-1' });
      put({ pk: `TENANT#${TENANT}`, sk: 'FILE#file-1' }, { tenantId: TENANT, fileId: 'file-1', status: 'ready', uploadedBy: USER });
      const changes = recordChanges();

      // Act
      const outcome = await ingestInboxObject(landed, now);

      // Assess
      expect(outcome).toBe('duplicate');
      expect(changes).toEqual(['delete', 'mark-moved']);
    });

    it('deletes the object of a refused upload again and audits nothing twice', async () => {
      // Prepare
      world('viewer');
      put(MARKER, { outcome: 'refused' });
      const changes = recordChanges();

      // Act
      const outcome = await ingestInboxObject(landed, now);

      // Assess
      expect(outcome).toBe('duplicate');
      expect(changes).toEqual(['delete']);
    });

    it('yields to a concurrent delivery that decided first, then finishes as it would', async () => {
      // Prepare: the marker appears between this delivery's read and its transaction
      world('member');
      ddbMock.on(TransactWriteCommand).callsFake(async () => {
        put(MARKER, { outcome: 'registered', fileId: 'file-1', moved: true });
        throw new TransactionCanceledException({
          message: 'Transaction cancelled',
          $metadata: {},
          CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }],
        });
      });

      // Act
      const outcome = await ingestInboxObject(landed, now);

      // Assess: no second file, no copy
      expect(outcome).toBe('duplicate');
      expect(s3Mock.commandCalls(CopyObjectCommand)).toHaveLength(0);
    });
  });

  it('leaves a state its redelivery completes when S3 fails after the decision', async () => {
    // Prepare: the copy fails (S3 unavailable)
    world('member');
    const changes = recordChanges();
    ddbMock.on(TransactWriteCommand).callsFake(async (input) => {
      changes.push('transaction');
      for (const item of input.TransactItems) put(item.Put.Item, item.Put.Item);
    });
    let copies = 0;
    s3Mock.on(CopyObjectCommand).callsFake(async () => {
      copies += 1;
      if (copies === 1) throw s3Error('ServiceUnavailable', 503);
      changes.push('copy');
      return {};
    });

    // Act: the first delivery fails; Lambda delivers again
    await expect(ingestInboxObject(landed, now)).rejects.toThrow();
    const outcome = await ingestInboxObject(landed, now);

    // Assess: the inbox object was kept until its copy landed; one file
    expect(changes).toEqual(['transaction', 'copy', 'delete', 'mark-moved']);
    expect(outcome).toBe('duplicate');
    expect([...table.keys()].filter((key) => key.includes('|FILE#'))).toHaveLength(1);
  });

  it('takes a copy already under files/ for done and goes on', async () => {
    // Prepare
    world('member');
    const changes = recordChanges();
    s3Mock.on(CopyObjectCommand).rejects(s3Error('PreconditionFailed', 412));

    // Act
    const outcome = await ingestInboxObject(landed, now);

    // Assess
    expect(outcome).toBe('registered');
    expect(changes).toEqual(['transaction', 'delete', 'mark-moved']);
  });

  describe('on a bucket that keeps no versions (the local stack)', () => {
    const unversioned = { bucket: BUCKET, key: KEY };

    it('names the upload by its ETag and time, and copies and deletes without a version', async () => {
      // Prepare
      world('member');
      s3Mock.on(HeadObjectCommand).resolves(objectHead({ VersionId: undefined }));
      recordChanges();

      // Act
      const outcome = await ingestInboxObject(unversioned, now);

      // Assess
      expect(outcome).toBe('registered');
      expect(written(/^INBOX#/)).toMatchObject({
        ...inboxUploadKey(TENANT, KEY, '9a0364b9e99bb480dd25e1f0284c8555@2025-06-02T08:59:59.000Z'),
        uploadId: '9a0364b9e99bb480dd25e1f0284c8555@2025-06-02T08:59:59.000Z',
      });
      expect(s3Mock.commandCalls(CopyObjectCommand)[0]?.args[0].input.CopySource).toBe(`${BUCKET}/${KEY}`);
      expect(s3Mock.commandCalls(DeleteObjectCommand)[0]?.args[0].input).toEqual({ Bucket: BUCKET, Key: KEY });
    });

    it('does nothing for an object that is gone', async () => {
      // Prepare
      world('member');
      s3Mock.on(HeadObjectCommand).rejects(s3Error('NotFound', 404));
      const changes = recordChanges();

      // Act
      const outcome = await ingestInboxObject(unversioned, now);

      // Assess
      expect(outcome).toBe('gone');
      expect(changes).toEqual([]);
    });
  });

  it('deletes an inbox object whose key names no identity, and writes nothing', async () => {
    // Prepare
    const changes = recordChanges();

    // Act
    const outcome = await ingestInboxObject({ bucket: BUCKET, key: `tenants/${TENANT}/inbox/not-an-identity/a.csv` }, now);

    // Assess
    expect(outcome).toBe('discarded');
    expect(changes).toEqual(['delete']);
  });

  it("rejects a member's upload whose path has a '..' segment", async () => {
    // Prepare
    world('member');
    recordChanges();

    // Act
    const outcome = await ingestInboxObject({ ...landed, key: `tenants/${TENANT}/inbox/${IDENTITY}/../scores.csv` }, now);

    // Assess
    expect(outcome).toBe('rejected');
    expect(written(/^FILE#/)).toMatchObject({ status: 'rejected', reason: expect.stringContaining('".."') });
  });
});
