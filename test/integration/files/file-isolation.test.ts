import { beforeAll, describe, expect, it } from 'vitest';
import { api } from '../support/api';
import { tenantSnapshot } from '../support/data';
import { type Caller, tenantWithOwner } from '../support/world';
import {
  type Declared,
  declareCsv,
  declareFile,
  type FileBody,
  getFile,
  objectBytes,
  objectExists,
  objectKeyOf,
  putAsBrowser,
  settledFile,
  uploadCsv,
} from './file-support';

const B_CSV = 'secret,value\nb-only,42\n';

describe('tenant files are isolated', () => {
  let a: { tenantId: string; owner: Caller };
  let b: { tenantId: string; owner: Caller; file: FileBody };
  const bKey = () => objectKeyOf(b.tenantId, b.file.fileId);

  beforeAll(async () => {
    a = await tenantWithOwner('Files A');
    const tb = await tenantWithOwner('Files B');
    b = { ...tb, file: (await uploadCsv(tb.owner, tb.tenantId, 'b.csv', B_CSV)).file };
    await uploadCsv(a.owner, a.tenantId, 'a.csv', 'x\n1\n');
  }, 90_000);

  it("answers 403 to every file route under another tenant's id, and changes nothing", async () => {
    // Prepare
    const before = await tenantSnapshot(b.tenantId);
    const calls = [
      { method: 'GET', path: `/tenants/${b.tenantId}/files` },
      { method: 'GET', path: `/tenants/${b.tenantId}/files/${b.file.fileId}` },
      { method: 'DELETE', path: `/tenants/${b.tenantId}/files/${b.file.fileId}` },
      { method: 'POST', path: `/tenants/${b.tenantId}/files`, body: { name: 'b.csv', contentType: 'text/csv', size: 4 } },
    ];

    // Act
    const statuses = [];
    for (const call of calls) {
      statuses.push(
        (await api(call.path, { method: call.method, token: a.owner.accessToken, ...(call.body ? { body: call.body } : {}) })).status,
      );
    }

    // Assess
    expect(statuses).toEqual([403, 403, 403, 403]);
    expect(await tenantSnapshot(b.tenantId)).toBe(before);
    expect(await objectExists(bKey())).toBe(true);
  });

  it("answers 404 to the caller's own routes given another tenant's file id", async () => {
    const read = await getFile(a.owner, a.tenantId, b.file.fileId);
    const deleted = await api(`/tenants/${a.tenantId}/files/${b.file.fileId}`, { method: 'DELETE', token: a.owner.accessToken });

    expect(read.status).toBe(404);
    expect(deleted.status).toBe(404);
    expect(await objectExists(bKey())).toBe(true);
  });

  it("never lists another tenant's files", async () => {
    const res = await api(`/tenants/${a.tenantId}/files?limit=100`, { token: a.owner.accessToken });

    const ids = (res.body as { items: FileBody[] }).items.map((f) => f.fileId);
    expect(ids).toHaveLength(1);
    expect(ids).not.toContain(b.file.fileId);
  });

  it("refuses another tenant's file-list cursor with 400", async () => {
    // Prepare: a real cursor of B's list (B has two files)
    await declareCsv(b.owner, b.tenantId, 'b2.csv', Buffer.from('a\n'));
    const page = await api(`/tenants/${b.tenantId}/files?limit=1`, { token: b.owner.accessToken });
    const cursor = (page.body as { nextCursor: string }).nextCursor;

    // Act
    const res = await api(`/tenants/${a.tenantId}/files?cursor=${encodeURIComponent(cursor)}`, { token: a.owner.accessToken });

    // Assess
    expect(res.status).toBe(400);
  });

  it.each([
    ['an object key', { key: 'tenants/B/files/F' }],
    ['a tenant id', { tenantId: 'B' }],
    ['a file id', { fileId: 'F' }],
    ['a bucket', { bucket: 'other' }],
  ])('rejects %s smuggled into a declaration as an unknown field', async (_label, extra) => {
    // Prepare: the smuggled values name tenant B's real file
    const smuggled = JSON.parse(JSON.stringify(extra).replaceAll('B', b.tenantId).replaceAll('F', b.file.fileId)) as object;

    // Act
    const res = await declareFile(a.owner, a.tenantId, { name: 'x.csv', contentType: 'text/csv', size: 4, ...smuggled });

    // Assess
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ errors: [{ path: '(root)', message: expect.stringMatching(/^unknown field: /) }] });
  });

  it.each([
    ['../../x.csv', 'x.csv'],
    ['..\\..\\x.csv', 'x.csv'],
    ['tenants/B/files/F', 'F'],
    ['../../B/files/F', 'F'],
  ])('keeps a name like %s as metadata: the key is the caller tenant’s, with a new id', async (raw, cleaned) => {
    // Prepare
    const name = raw.replaceAll('B', b.tenantId).replaceAll('F', b.file.fileId);

    // Act
    const res = await declareFile(a.owner, a.tenantId, { name, contentType: 'text/csv', size: 4 });

    // Assess
    const declared = res.body as Declared;
    expect(res.status).toBe(201);
    expect(declared.file.name).toBe(cleaned.replaceAll('F', b.file.fileId));
    expect(declared.file.fileId).not.toBe(b.file.fileId);
    expect(new URL(declared.upload.url).pathname).toBe(
      `/${'tenantgate-local-uploads'}/tenants/${a.tenantId}/files/${declared.file.fileId}`,
    );
  });

  it("cannot overwrite another tenant's object: an upload named after it lands under the caller's key", async () => {
    // Prepare
    const bytes = Buffer.from('overwrite,attempt\n1,2\n');
    const declared = await declareCsv(a.owner, a.tenantId, `../../${b.tenantId}/files/${b.file.fileId}`, bytes);

    // Act
    await putAsBrowser(declared.upload, bytes);
    const own = await settledFile(a.owner, a.tenantId, declared.file.fileId);

    // Assess
    expect(own.status).toBe('ready');
    expect((await objectBytes(bKey())).toString()).toBe(B_CSV);
    expect((await getFile(b.owner, b.tenantId, b.file.fileId)).body).toMatchObject({ status: 'ready', rowCount: 1 });
  });

  it('answers 404 to a file id that tries to climb out of the tenant', async () => {
    const res = await api(`/tenants/${a.tenantId}/files/..%2F..%2F${b.tenantId}%2Ffiles%2F${b.file.fileId}`, {
      method: 'DELETE',
      token: a.owner.accessToken,
    });

    expect(res.status).toBe(404);
    expect(await objectExists(bKey())).toBe(true);
  });
});
