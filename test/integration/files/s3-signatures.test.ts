import { beforeAll, describe, expect, it } from 'vitest';
import type { presignUpload as PresignUpload } from '../../../src/lib/files/presign';
import { stack } from '../support/stack';
import { type Caller, tenantWithOwner } from '../support/world';
import { type Declared, declareCsv, type FileBody, objectExists, objectKeyOf, putAsBrowser, s3ErrorOf, uploadCsv } from './file-support';

/**
 * The local S3 checks request signatures as S3 does (SPEC §4), so what a
 * presigned URL binds is enforced here as on AWS: a client holding a ticket
 * can send those bytes with those headers to that key, and nothing else.
 */

const CSV = Buffer.from('id,name\n1,Ann\n2,Bob\n');

type Headers = Record<string, string>;
type Tampered = { headers: Headers; body: Buffer };

const without = (headers: Headers, name: string): Headers =>
  Object.fromEntries(Object.entries(headers).filter(([h]) => h.toLowerCase() !== name));

describe('the local S3 checks presigned URLs as S3 does', () => {
  let tenantId: string;
  let owner: Caller;
  let presignUpload: typeof PresignUpload;

  const declare = (name: string) => declareCsv(owner, tenantId, name, CSV);
  const keyOf = (declared: Declared) => objectKeyOf(tenantId, declared.file.fileId);

  beforeAll(async () => {
    ({ tenantId, owner } = await tenantWithOwner('Signatures'));
    // src/lib reads its config once, at module load: point it at the stack's bucket first.
    Object.assign(process.env, { BUCKET_NAME: stack.s3.bucket, S3_ENDPOINT: stack.s3.endpoint });
    ({ presignUpload } = await import('../../../src/lib/files/presign'));
  }, 60_000);

  describe('a presigned PUT', () => {
    it('stores the object when sent with exactly the presigned headers', async () => {
      // Prepare
      const declared = await declare('exact.csv');

      // Act
      const res = await putAsBrowser(declared.upload, CSV);

      // Assess
      expect(res.status).toBe(200);
      expect(await objectExists(keyOf(declared))).toBe(true);
    });

    it.each<[string, (headers: Headers) => Tampered]>([
      ['another Content-Type', (h) => ({ headers: { ...h, 'Content-Type': 'text/plain' }, body: CSV })],
      [
        'a shorter body and its Content-Length',
        (h) => ({ headers: { ...h, 'Content-Length': String(CSV.length - 4) }, body: CSV.subarray(0, -4) }),
      ],
      ['no x-amz-tagging', (h) => ({ headers: without(h, 'x-amz-tagging'), body: CSV })],
      ['another x-amz-tagging', (h) => ({ headers: { ...h, 'x-amz-tagging': 'tenantgate-ingest=done' }, body: CSV })],
      ['no If-None-Match', (h) => ({ headers: without(h, 'if-none-match'), body: CSV })],
    ])('refuses it with %s: 403 SignatureDoesNotMatch, and stores nothing', async (_label, tamper) => {
      // Prepare
      const declared = await declare('tampered.csv');
      const { headers, body } = tamper(declared.upload.headers);

      // Act
      const res = await putAsBrowser(declared.upload, body, headers);

      // Assess
      expect(res.status).toBe(403);
      expect((await s3ErrorOf(res)).code).toBe('SignatureDoesNotMatch');
      expect(await objectExists(keyOf(declared))).toBe(false);
    });

    it('refuses an x-amz-* header it did not sign: 403 AccessDenied, and stores nothing', async () => {
      const declared = await declare('public.csv');

      const res = await putAsBrowser(declared.upload, CSV, { ...declared.upload.headers, 'x-amz-acl': 'public-read' });

      expect(res.status).toBe(403);
      expect(await s3ErrorOf(res)).toEqual({
        code: 'AccessDenied',
        message: 'There were headers present in the request which were not signed',
      });
      expect(await objectExists(keyOf(declared))).toBe(false);
    });

    it('refuses the URL stripped of its signature as anonymous: 403 AccessDenied, and stores nothing', async () => {
      // Prepare
      const declared = await declare('unsigned.csv');
      const bare = new URL(declared.upload.url);
      bare.search = '';

      // Act
      const res = await putAsBrowser({ ...declared.upload, url: bare.toString() }, CSV);

      // Assess
      expect(res.status).toBe(403);
      expect((await s3ErrorOf(res)).code).toBe('AccessDenied');
      expect(await objectExists(keyOf(declared))).toBe(false);
    });

    it("answers a browser's CORS preflight of the presigned URL from the bucket's CORS rules, unauthenticated, and stores nothing", async () => {
      // Prepare
      const declared = await declare('preflight.csv');

      // Act: what a browser sends before the PUT, to the same URL (its signature query included)
      const res = await fetch(declared.upload.url, {
        method: 'OPTIONS',
        headers: {
          origin: 'http://localhost:5173',
          'access-control-request-method': 'PUT',
          'access-control-request-headers': 'content-type',
        },
      });

      // Assess
      expect(res.status).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBeTruthy();
      expect(res.headers.get('access-control-allow-methods')).toContain('PUT');
      expect(await objectExists(keyOf(declared))).toBe(false);
    });

    it('refuses it once expired: 403 AccessDenied, and stores nothing', async () => {
      // Prepare: the ticket of a real declaration, signed 16 minutes ago for 15
      const declared = await declare('late.csv');
      const signedAt = new Date(Date.now() - 16 * 60_000);
      const upload = await presignUpload(keyOf(declared), { contentType: 'text/csv', size: CSV.length }, signedAt);

      // Act
      const res = await putAsBrowser(upload, CSV);

      // Assess
      expect(res.status).toBe(403);
      expect(await s3ErrorOf(res)).toEqual({ code: 'AccessDenied', message: 'Request has expired' });
      expect(await objectExists(keyOf(declared))).toBe(false);
    });

    it.each<[string, (params: URLSearchParams) => void]>([
      ['its X-Amz-Date moved to now', (p) => p.set('X-Amz-Date', new Date().toISOString().replace(/[-:]|\.\d{3}/g, ''))],
      ['its X-Amz-Expires raised to an hour', (p) => p.set('X-Amz-Expires', '3600')],
    ])('refuses an expired URL revived with %s: 403 SignatureDoesNotMatch, and stores nothing', async (_label, revive) => {
      // Prepare
      const declared = await declare('revived.csv');
      const upload = await presignUpload(
        keyOf(declared),
        { contentType: 'text/csv', size: CSV.length },
        new Date(Date.now() - 16 * 60_000),
      );
      const url = new URL(upload.url);
      revive(url.searchParams);

      // Act
      const res = await putAsBrowser({ ...upload, url: url.toString() }, CSV);

      // Assess
      expect(res.status).toBe(403);
      expect((await s3ErrorOf(res)).code).toBe('SignatureDoesNotMatch');
      expect(await objectExists(keyOf(declared))).toBe(false);
    });
  });

  describe('a presigned GET', () => {
    let mine: FileBody;
    let theirs: { tenantId: string; file: FileBody };

    beforeAll(async () => {
      mine = (await uploadCsv(owner, tenantId, 'mine.csv', CSV)).file;
      const other = await tenantWithOwner('Signatures B');
      theirs = { tenantId: other.tenantId, file: (await uploadCsv(other.owner, other.tenantId, 'theirs.csv', 'secret\n42\n')).file };
    }, 90_000);

    it('downloads the key it was signed for', async () => {
      const res = await fetch(mine.download?.url ?? '');

      expect(res.status).toBe(200);
      expect(Buffer.from(await res.arrayBuffer()).equals(CSV)).toBe(true);
    });

    it("refuses the same URL pointed at another tenant's object: 403 SignatureDoesNotMatch", async () => {
      // Prepare
      const url = new URL(mine.download?.url ?? '');
      url.pathname = `/${stack.s3.bucket}/${objectKeyOf(theirs.tenantId, theirs.file.fileId)}`;

      // Act
      const res = await fetch(url);

      // Assess
      expect(res.status).toBe(403);
      expect((await s3ErrorOf(res)).code).toBe('SignatureDoesNotMatch');
    });
  });
});
