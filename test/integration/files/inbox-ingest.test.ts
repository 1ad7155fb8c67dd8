import { randomUUID } from 'node:crypto';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { db, tableName } from '../../../src/lib/db/client';
import { identityOwnerKey, storageIdentityKey } from '../../../src/lib/db/keys';
import { api } from '../support/api';
import { auditEventsOf } from '../support/data';
import { tamper, unsignedToken } from '../support/forge';
import { invokeFunction } from '../support/lambda';
import { stack } from '../support/stack';
import { buildWorld, type Caller, type World, waitUntil } from '../support/world';
import { auditOfFile, type FileBody, objectExists, objectKeyOf, s3, settledFile, waitUntilObjectGone } from './file-support';

/**
 * Direct uploads into a tenant's inbox (`tenants/{t}/inbox/{identityId}/{name}`),
 * put straight into the local S3 with the stack's own credentials, as the
 * Identity Pool's credentials would put them: the ingest registers a member's
 * object as a file of the tenant and refuses anyone else's.
 */

const CSV = 'id,name,score\n1,Ann,3\n2,"Bob, Jr.",4\n3,Zoë,5\n';

const registerIdentity = (caller: Caller, idToken = caller.idToken) =>
  api('/me/storage-identity', { method: 'PUT', token: caller.accessToken, body: { idToken } });

const identityOf = async (caller: Caller): Promise<string> => {
  const res = await registerIdentity(caller);
  if (res.status !== 200) throw new Error(`registering the identity failed: ${res.status} ${res.text}`);
  return (res.body as { identityId: string }).identityId;
};

const inboxKey = (tenantId: string, identityId: string, name: string) => `tenants/${tenantId}/inbox/${identityId}/${name}`;

const putIntoInbox = (key: string, body: string | Buffer, contentType = 'text/csv') =>
  s3.send(new PutObjectCommand({ Bucket: stack.s3.bucket, Key: key, Body: body, ContentType: contentType }));

/** An ObjectCreated notification for an inbox object, as S3 sends it (and sends again). */
const deliverInboxEvent = (key: string, size: number) =>
  invokeFunction('ingestFile', {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: stack.region,
        eventTime: new Date().toISOString(),
        eventName: 'ObjectCreated:Put',
        s3: {
          s3SchemaVersion: '1.0',
          bucket: { name: stack.s3.bucket, arn: `arn:aws:s3:::${stack.s3.bucket}` },
          object: { key: encodeURIComponent(key).replace(/%2F/g, '/'), size, sequencer: '0' },
        },
      },
    ],
  });

const filesNamed = async (caller: Caller, tenantId: string, name: string): Promise<FileBody[]> => {
  const res = await api(`/tenants/${tenantId}/files?limit=100`, { token: caller.accessToken });
  if (res.status !== 200) throw new Error(`listing files failed: ${res.status} ${res.text}`);
  return (res.body as { items: FileBody[] }).items.filter((file) => file.name === name);
};

/** Waits until the ingest has registered an upload of that name (then, by its own GET, until it settled). */
const registeredFile = async (caller: Caller, tenantId: string, name: string): Promise<FileBody> => {
  let found: FileBody | undefined;
  await waitUntil(
    async () => {
      [found] = await filesNamed(caller, tenantId, name);
      return found !== undefined;
    },
    30_000,
    150,
  );
  if (!found) throw new Error('unreachable');
  return settledFile(caller, tenantId, found.fileId);
};

const refusalsOf = async (tenantId: string, key: string) =>
  (await auditEventsOf(tenantId)).filter((e) => e.type === 'file.inbox_rejected' && (e.details as { key?: string }).key === key);

const storedItem = async (key: { pk: string; sk: string }) =>
  (await db.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }))).Item;

describe('the inbox ingest', () => {
  let world: World;
  let tenantId: string;
  let member: Caller;
  let memberIdentity: string;

  beforeAll(async () => {
    world = await buildWorld();
    tenantId = world.tenantA;
    member = world.callers.member;
    memberIdentity = await identityOf(member);
  }, 180_000);

  describe("a member's upload", () => {
    const name = `inbox-${randomUUID().slice(0, 8)}.csv`;
    let key: string;
    let file: FileBody;

    beforeAll(async () => {
      key = inboxKey(tenantId, memberIdentity, name);
      await putIntoInbox(key, CSV);
      file = await registeredFile(member, tenantId, name);
    }, 60_000);

    it('becomes a ready file of the tenant, uploaded by that member', async () => {
      const res = await api(`/tenants/${tenantId}/files/${file.fileId}`, { token: member.accessToken });

      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        fileId: file.fileId,
        name,
        contentType: 'text/csv',
        size: Buffer.byteLength(CSV),
        status: 'ready',
        rowCount: 3,
        columns: ['id', 'name', 'score'],
        uploadedBy: member.userId,
      });
    });

    it('leaves the inbox: the object is under the file key and gone from the inbox', async () => {
      await waitUntilObjectGone(key);
      expect(await objectExists(objectKeyOf(tenantId, file.fileId))).toBe(true);
    });

    it('is audited as file.uploaded by that member, once', async () => {
      expect(await auditOfFile(tenantId, file.fileId, 'file.uploaded')).toEqual([
        expect.objectContaining({ actorId: member.userId, targetId: file.fileId }),
      ]);
    });

    it('is registered once when S3 delivers its event again', async () => {
      // Act
      const redelivered = await deliverInboxEvent(key, Buffer.byteLength(CSV));

      // Assess
      expect(redelivered.ok).toBe(true);
      expect(await filesNamed(member, tenantId, name)).toHaveLength(1);
      expect(await auditOfFile(tenantId, file.fileId, 'file.uploaded')).toHaveLength(1);
    });
  });

  it('registers one file when S3 delivers the event several times at once', async () => {
    // Prepare
    const name = `racy-${randomUUID().slice(0, 8)}.csv`;
    const key = inboxKey(tenantId, memberIdentity, name);
    const bytes = Buffer.from('k,v\na,1\nb,2\n');

    // Act: the notifier's delivery and two more, concurrently
    await putIntoInbox(key, bytes);
    const extra = await Promise.all([deliverInboxEvent(key, bytes.length), deliverInboxEvent(key, bytes.length)]);
    const file = await registeredFile(member, tenantId, name);
    await waitUntilObjectGone(key);

    // Assess
    expect(extra.every((r) => r.ok)).toBe(true);
    expect(file).toMatchObject({ status: 'ready', rowCount: 2, uploadedBy: member.userId });
    expect(await filesNamed(member, tenantId, name)).toHaveLength(1);
    expect(await auditOfFile(tenantId, file.fileId, 'file.uploaded')).toHaveLength(1);
  });

  describe('uploads it refuses', () => {
    const expectRefused = async (key: string, actorId: string, reason: string) => {
      await waitUntilObjectGone(key);
      await waitUntil(async () => (await refusalsOf(tenantId, key)).length > 0, 30_000, 150);
      expect(await refusalsOf(tenantId, key)).toEqual([
        expect.objectContaining({ actorId, details: expect.objectContaining({ key, reason }) }),
      ]);
      const name = key.split('/').pop() ?? '';
      expect(await filesNamed(world.callers.owner, tenantId, name)).toEqual([]);
    };

    it("deletes and audits a viewer's upload, and registers no file", async () => {
      const viewer = world.callers.viewer;
      const key = inboxKey(tenantId, await identityOf(viewer), `viewer-${randomUUID().slice(0, 8)}.csv`);

      await putIntoInbox(key, CSV);

      await expectRefused(key, viewer.userId, 'role-may-not-upload');
    });

    it('deletes and audits the upload of an identity nobody registered', async () => {
      const stranger = `${stack.region}:${randomUUID()}`;
      const key = inboxKey(tenantId, stranger, `stranger-${randomUUID().slice(0, 8)}.csv`);

      await putIntoInbox(key, CSV);

      await expectRefused(key, stranger, 'unknown-identity');
    });

    it("deletes and audits an upload into this tenant's inbox by another tenant's member", async () => {
      const outsider = world.callers.nonMember;
      const key = inboxKey(tenantId, await identityOf(outsider), `outsider-${randomUUID().slice(0, 8)}.csv`);

      await putIntoInbox(key, CSV);

      await expectRefused(key, outsider.userId, 'not-a-member');
      expect(await filesNamed(outsider, world.tenantB, key.split('/').pop() ?? '')).toEqual([]);
    });
  });

  describe("a member's upload that breaks the upload rules", () => {
    it('becomes a rejected file with the reason the member can read, audited, and its object deleted', async () => {
      // Prepare
      const name = `photo-${randomUUID().slice(0, 8)}.png`;
      const key = inboxKey(tenantId, memberIdentity, name);

      // Act
      await putIntoInbox(key, Buffer.from([0x89, 0x50, 0x4e, 0x47]), 'image/png');
      const file = await registeredFile(member, tenantId, name);

      // Assess
      expect(file).toMatchObject({
        status: 'rejected',
        contentType: 'image/png',
        uploadedBy: member.userId,
        reason: "The upload's content type (image/png) is not allowed; allowed: text/csv.",
      });
      await waitUntilObjectGone(key);
      expect(await objectExists(objectKeyOf(tenantId, file.fileId))).toBe(false);
      expect(await refusalsOf(tenantId, key)).toEqual([
        expect.objectContaining({
          actorId: member.userId,
          targetId: file.fileId,
          details: expect.objectContaining({ reason: file.reason }),
        }),
      ]);
    });

    it('is rejected by the same CSV check as a declared upload when its content is not a table', async () => {
      const name = `ragged-${randomUUID().slice(0, 8)}.csv`;
      await putIntoInbox(inboxKey(tenantId, memberIdentity, name), 'a,b\n1,2\n3\n');

      const file = await registeredFile(member, tenantId, name);

      expect(file).toMatchObject({ status: 'rejected', reason: expect.stringContaining('Line 3 has 1 field') });
      expect(await objectExists(objectKeyOf(tenantId, file.fileId))).toBe(false);
    });
  });

  describe('PUT /me/storage-identity', () => {
    it("registers the identity the identity pool gives the caller's ID token, again and again the same", async () => {
      const admin = world.callers.admin;

      const first = await registerIdentity(admin);
      const again = await registerIdentity(admin);

      expect(first.status).toBe(200);
      const { identityId } = first.body as { identityId: string };
      expect(identityId).toMatch(new RegExp(`^${stack.region}:[0-9a-f-]{36}$`));
      expect(again.body).toEqual({ identityId });
      expect(await storedItem(identityOwnerKey(identityId))).toMatchObject({ userId: admin.userId });
      expect(await storedItem(storageIdentityKey(admin.userId))).toMatchObject({ identityId });
    });

    it.each([
      ["another user's ID token", (w: World) => w.callers.member.idToken],
      ['an access token', (w: World) => w.callers.owner.accessToken],
      [
        'a forged ID token (its subject changed)',
        (w: World) => tamper(w.callers.owner.idToken, (c) => ({ ...c, sub: w.callers.member.userId })),
      ],
      ['an unsigned ID token', (w: World) => unsignedToken({ sub: w.callers.owner.userId, token_use: 'id', aud: stack.cognito.clientId })],
    ])('refuses %s with 403 and stores nothing', async (_case, token) => {
      // Prepare: the owner has registered no identity
      const owner = world.callers.owner;

      // Act
      const res = await registerIdentity(owner, token(world));

      // Assess
      expect(res.status).toBe(403);
      expect(await storedItem(storageIdentityKey(owner.userId))).toBeUndefined();
    });

    it('refuses a caller without an access token with 401', async () => {
      const res = await api('/me/storage-identity', { method: 'PUT', body: { idToken: world.callers.owner.idToken } });

      expect(res.status).toBe(401);
    });
  });
});
