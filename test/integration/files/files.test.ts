import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { REASONS } from '../../../src/lib/files/ingest';
import { api } from '../support/api';
import { type Caller, inviteAndSignUp, tenantWithOwner } from '../support/world';
import {
  auditOfFile,
  type Declared,
  declareCsv,
  declareFile,
  deliverObjectCreated,
  expireDeclaration,
  type FileBody,
  fileItem,
  getFile,
  objectExists,
  objectKeyOf,
  putAsBrowser,
  putObjectDirectly,
  settledFile,
  uploadCsv,
  waitUntilObjectGone,
} from './file-support';

const CSV = 'id,name,score\n1,Ann,3\n2,"Bob, Jr.",4\n3,Zoë,5\n';

describe('tenant files', () => {
  let tenantId: string;
  let owner: Caller;
  let admin: Caller;
  let member: Caller;
  let otherMember: Caller;
  let viewer: Caller;

  beforeAll(async () => {
    const t = await tenantWithOwner('Files');
    tenantId = t.tenantId;
    owner = t.owner;
    [admin, member, otherMember, viewer] = [
      await inviteAndSignUp(tenantId, owner, 'admin'),
      await inviteAndSignUp(tenantId, owner, 'member'),
      await inviteAndSignUp(tenantId, owner, 'member', 'other-member'),
      await inviteAndSignUp(tenantId, owner, 'viewer'),
    ];
  }, 120_000);

  describe('upload, ingest and download', () => {
    let declared: Declared;
    let file: FileBody;

    beforeAll(async () => {
      ({ declared, file } = await uploadCsv(member, tenantId, 'Q3 scores.csv', CSV));
    }, 60_000);

    it('answers a declaration with a pending file and a PUT ticket for its own key', () => {
      expect(declared.file).toEqual({
        fileId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        name: 'Q3 scores.csv',
        contentType: 'text/csv',
        size: Buffer.byteLength(CSV),
        status: 'pending',
        uploadedBy: member.userId,
        createdAt: expect.any(String),
      });
      const url = new URL(declared.upload.url);
      expect(declared.upload.method).toBe('PUT');
      expect(url.pathname).toBe(`/tenantgate-local-uploads/tenants/${tenantId}/files/${declared.file.fileId}`);
      expect(declared.upload.headers).toMatchObject({ 'Content-Type': 'text/csv', 'Content-Length': String(Buffer.byteLength(CSV)) });
    });

    it('signs the content type and the content length into the upload URL', () => {
      // What the URL binds; s3-signatures.test.ts shows the local S3 refusing a PUT that differs.
      const signed = new URL(declared.upload.url).searchParams.get('X-Amz-SignedHeaders')?.split(';');

      expect(signed).toEqual(expect.arrayContaining(['content-type', 'content-length', 'host', 'if-none-match', 'x-amz-tagging']));
    });

    it('lets the URL live 15 minutes at most', () => {
      const params = new URL(declared.upload.url).searchParams;
      const lifetime = (Date.parse(declared.upload.expiresAt) - Date.parse(declared.file.createdAt)) / 1000;

      expect(Number(params.get('X-Amz-Expires'))).toBeLessThanOrEqual(900);
      expect(lifetime).toBe(Number(params.get('X-Amz-Expires')));
    });

    it('turns the file ready with its header and the number of data rows', () => {
      expect(file).toMatchObject({ status: 'ready', rowCount: 3, columns: ['id', 'name', 'score'] });
      expect(file).not.toHaveProperty('reason');
    });

    it('downloads the same bytes, as an attachment under the cleaned name', async () => {
      // Prepare
      expect(file.download?.url).toEqual(expect.any(String));

      // Act
      const res = await fetch(file.download?.url ?? '');

      // Assess
      expect(res.status).toBe(200);
      expect(Buffer.from(await res.arrayBuffer()).equals(Buffer.from(CSV))).toBe(true);
      expect(res.headers.get('content-disposition')).toBe(`attachment; filename="Q3 scores.csv"; filename*=UTF-8''Q3%20scores.csv`);
    });

    it('presigns the download for at most 15 minutes, and says until when', () => {
      const params = new URL(file.download?.url ?? '').searchParams;
      const lifetime = Number(params.get('X-Amz-Expires'));

      expect(lifetime).toBeGreaterThan(0);
      expect(lifetime).toBeLessThanOrEqual(900);
      expect(Date.parse(file.download?.expiresAt ?? '')).toBeLessThanOrEqual(Date.now() + 900_000);
    });

    it('writes one file.uploaded audit event, for the uploader', async () => {
      const events = await auditOfFile(tenantId, file.fileId, 'file.uploaded');

      expect(events).toEqual([expect.objectContaining({ actorId: member.userId, details: expect.objectContaining({ rowCount: 3 }) })]);
    });

    it('lists the file to a viewer, newest first, with limit and cursor', async () => {
      // Prepare: a second, newer file
      const newer = await declareCsv(member, tenantId, 'newer.csv', Buffer.from('a\n1\n'));

      // Act
      const first = await api(`/tenants/${tenantId}/files?limit=1`, { token: viewer.accessToken });
      const cursor = (first.body as { nextCursor: string }).nextCursor;
      const second = await api(`/tenants/${tenantId}/files?limit=1&cursor=${encodeURIComponent(cursor)}`, { token: viewer.accessToken });

      // Assess
      expect(first.status).toBe(200);
      expect((first.body as { items: FileBody[] }).items.map((f) => f.fileId)).toEqual([newer.file.fileId]);
      expect((second.body as { items: FileBody[] }).items[0]).toMatchObject({ fileId: file.fileId, status: 'ready', rowCount: 3 });
      expect((second.body as { items: FileBody[] }).items[0]).not.toHaveProperty('download');
    });

    it('changes nothing when S3 delivers the same event again', async () => {
      // Prepare
      const before = await fileItem(tenantId, file.fileId);

      // Act
      const redelivered = await deliverObjectCreated(objectKeyOf(tenantId, file.fileId), file.size);

      // Assess
      expect(redelivered.ok).toBe(true);
      expect(await fileItem(tenantId, file.fileId)).toEqual(before);
      expect(await auditOfFile(tenantId, file.fileId, 'file.uploaded')).toHaveLength(1);
      expect(await objectExists(objectKeyOf(tenantId, file.fileId))).toBe(true);
    });
  });

  it('ingests a file once when S3 delivers its event several times at once', async () => {
    // Prepare
    const bytes = Buffer.from('k,v\na,1\nb,2\n');
    const declared = await declareCsv(member, tenantId, 'racy.csv', bytes);
    const key = objectKeyOf(tenantId, declared.file.fileId);

    // Act: the notifier's delivery and two more, concurrently
    await putAsBrowser(declared.upload, bytes);
    const extra = await Promise.all([deliverObjectCreated(key, bytes.length), deliverObjectCreated(key, bytes.length)]);
    const file = await settledFile(member, tenantId, declared.file.fileId);

    // Assess
    expect(extra.every((r) => r.ok)).toBe(true);
    expect(file).toMatchObject({ status: 'ready', rowCount: 2 });
    expect(await auditOfFile(tenantId, declared.file.fileId, 'file.uploaded')).toHaveLength(1);
  });

  describe('files the ingest refuses', () => {
    it('rejects binary garbage as not text, and keeps none of its bytes', async () => {
      const { file } = await uploadCsv(member, tenantId, 'garbage.csv', randomBytes(4096));

      expect(file).toMatchObject({ status: 'rejected', reason: REASONS.notText });
      expect(file).not.toHaveProperty('download');
      await waitUntilObjectGone(objectKeyOf(tenantId, file.fileId));
    });

    it('rejects an empty file: it has no header', async () => {
      const { file } = await uploadCsv(member, tenantId, 'empty.csv', Buffer.alloc(0));

      expect(file).toMatchObject({ status: 'rejected', reason: REASONS.noHeader, size: 0 });
    });

    it('accepts a header-only file as ready with no rows', async () => {
      const { file } = await uploadCsv(member, tenantId, 'header-only.csv', 'id,name,score\n');

      expect(file).toMatchObject({ status: 'ready', rowCount: 0, columns: ['id', 'name', 'score'] });
    });

    it('rejects a row wider or narrower than the header, naming its line', async () => {
      const { file } = await uploadCsv(member, tenantId, 'ragged.csv', 'a,b,c\n1,2,3\n\n4,5\n');

      expect(file).toMatchObject({ status: 'rejected', reason: REASONS.rowWidth(4, 2, 3) });
    });

    it('rejects a file whose size differs from the declaration', async () => {
      // Prepare: the signed Content-Length refuses such a PUT (s3-signatures.test.ts); the ingest
      // checks the size anyway, so an object of another size that lands another way is caught too.
      const declared = await declareCsv(member, tenantId, 'short.csv', Buffer.from('a,b\n1,2\n3,4\n'));

      // Act
      await putObjectDirectly(objectKeyOf(tenantId, declared.file.fileId), Buffer.from('a,b\n1,2\n'));
      const file = await settledFile(member, tenantId, declared.file.fileId);

      // Assess
      expect(file).toMatchObject({ status: 'rejected', reason: REASONS.sizeMismatch(8, 12) });
    });
  });

  describe('declarations the API refuses', () => {
    it.each([
      ['an unsupported content type', { name: 'a.json', contentType: 'application/json', size: 10 }, 'contentType'],
      ['a size over the limit', { name: 'a.csv', contentType: 'text/csv', size: 100 * 1024 * 1024 + 1 }, 'size'],
      ['a negative size', { name: 'a.csv', contentType: 'text/csv', size: -1 }, 'size'],
      ['a name with nothing usable in it', { name: '../..', contentType: 'text/csv', size: 10 }, 'name'],
    ])('refuses %s with 400', async (_label, body, path) => {
      const res = await declareFile(member, tenantId, body);

      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ errors: [expect.objectContaining({ path })] });
    });
  });

  describe('who may upload and delete', () => {
    it('refuses an upload to a viewer with 403', async () => {
      const res = await declareFile(viewer, tenantId, { name: 'v.csv', contentType: 'text/csv', size: 4 });

      expect(res.status).toBe(403);
    });

    it("refuses to let a member delete another member's file, and keeps it", async () => {
      // Prepare
      const { file } = await uploadCsv(otherMember, tenantId, 'theirs.csv', 'a\n1\n');

      // Act
      const res = await api(`/tenants/${tenantId}/files/${file.fileId}`, { method: 'DELETE', token: member.accessToken });

      // Assess
      expect(res.status).toBe(403);
      expect((await getFile(member, tenantId, file.fileId)).status).toBe(200);
      expect(await objectExists(objectKeyOf(tenantId, file.fileId))).toBe(true);
    });

    it('refuses a delete to a viewer with 403', async () => {
      const { file } = await uploadCsv(member, tenantId, 'kept.csv', 'a\n1\n');

      const res = await api(`/tenants/${tenantId}/files/${file.fileId}`, { method: 'DELETE', token: viewer.accessToken });

      expect(res.status).toBe(403);
    });

    it("lets an admin delete a member's file: object, metadata and a file.deleted event", async () => {
      // Prepare
      const { file } = await uploadCsv(member, tenantId, 'to-delete.csv', 'a\n1\n');

      // Act
      const res = await api(`/tenants/${tenantId}/files/${file.fileId}`, { method: 'DELETE', token: admin.accessToken });

      // Assess
      expect(res.status).toBe(204);
      expect((await getFile(member, tenantId, file.fileId)).status).toBe(404);
      expect(await fileItem(tenantId, file.fileId)).toBeUndefined();
      expect(await objectExists(objectKeyOf(tenantId, file.fileId))).toBe(false);
      expect(await auditOfFile(tenantId, file.fileId, 'file.deleted')).toEqual([
        expect.objectContaining({ actorId: admin.userId, details: expect.objectContaining({ uploadedBy: member.userId }) }),
      ]);
    });

    it('lets a member delete their own file, and a second delete answers 404', async () => {
      const { file } = await uploadCsv(member, tenantId, 'mine.csv', 'a\n1\n');

      const first = await api(`/tenants/${tenantId}/files/${file.fileId}`, { method: 'DELETE', token: member.accessToken });
      const second = await api(`/tenants/${tenantId}/files/${file.fileId}`, { method: 'DELETE', token: member.accessToken });

      expect(first.status).toBe(204);
      expect(second.status).toBe(404);
    });
  });

  describe('objects without a declaration', () => {
    it('deletes an upload that lands after its declaration was deleted', async () => {
      // Prepare: declared, then deleted while still pending
      const bytes = Buffer.from('a\n1\n');
      const declared = await declareCsv(member, tenantId, 'late.csv', bytes);
      const deleted = await api(`/tenants/${tenantId}/files/${declared.file.fileId}`, { method: 'DELETE', token: member.accessToken });
      expect(deleted.status).toBe(204);

      // Act: the URL still works for its lifetime
      const put = await putAsBrowser(declared.upload, bytes);

      // Assess
      expect(put.status).toBe(200);
      await waitUntilObjectGone(objectKeyOf(tenantId, declared.file.fileId));
    });

    it('treats an expired declaration as gone: 404, not listed, and its late upload deleted', async () => {
      // Prepare: a declaration whose object never came, past its TTL
      const bytes = Buffer.from('a\n1\n');
      const declared = await declareCsv(member, tenantId, 'never-came.csv', bytes);
      await expireDeclaration(tenantId, declared.file.fileId);

      // Act
      const read = await getFile(member, tenantId, declared.file.fileId);
      const list = await api(`/tenants/${tenantId}/files?limit=100`, { token: member.accessToken });
      await putAsBrowser(declared.upload, bytes);

      // Assess
      expect(read.status).toBe(404);
      expect((list.body as { items: FileBody[] }).items.map((f) => f.fileId)).not.toContain(declared.file.fileId);
      await waitUntilObjectGone(objectKeyOf(tenantId, declared.file.fileId));
    });

    it('deletes an object placed under a tenant prefix without any declaration', async () => {
      const key = objectKeyOf(tenantId, '01900000-0000-7000-8000-000000000000');

      await putObjectDirectly(key, Buffer.from('a\n1\n'));

      await waitUntilObjectGone(key);
    });
  });
});
