import { describe, expect, it, vi } from 'vitest';
import { contentDisposition } from '../../../../src/lib/files/file';
import { presignDownload, presignUpload, SIGNED_UPLOAD_HEADERS } from '../../../../src/lib/files/presign';

vi.hoisted(() => {
  process.env.BUCKET_NAME = 'tenantgate-unit-uploads';
});

const KEY = 'tenants/5b0c3c4e-9f7a-4d52-9a51-3c1e8b0f2d11/files/01977a4c-5b00-7abc-8def-0123456789ab';
const NOW = new Date('2025-06-02T09:00:00.000Z');

const signedHeaders = (url: string) => new URL(url).searchParams.get('X-Amz-SignedHeaders')?.split(';') ?? [];

describe('presignUpload', () => {
  it('signs the declared content type and exact length, the no-overwrite condition and the pending tag', async () => {
    // Act
    const upload = await presignUpload(KEY, { contentType: 'text/csv', size: 1234 }, NOW);

    // Assess
    expect(signedHeaders(upload.url).sort()).toEqual(['content-length', 'content-type', 'host', 'if-none-match', 'x-amz-tagging']);
    expect(upload.headers).toEqual({
      'Content-Type': 'text/csv',
      'Content-Length': '1234',
      'If-None-Match': '*',
      'x-amz-tagging': 'tenantgate-ingest=pending',
    });
  });

  it('tells the client every header it signed, host aside', async () => {
    const upload = await presignUpload(KEY, { contentType: 'text/csv', size: 1 }, NOW);

    const told = Object.keys(upload.headers).map((h) => h.toLowerCase());
    expect(
      signedHeaders(upload.url)
        .filter((h) => h !== 'host')
        .sort(),
    ).toEqual(told.sort());
    expect([...SIGNED_UPLOAD_HEADERS].sort()).toEqual(told.sort());
  });

  it('binds an empty file to a length of zero', async () => {
    const upload = await presignUpload(KEY, { contentType: 'text/csv', size: 0 }, NOW);

    expect(signedHeaders(upload.url)).toContain('content-length');
    expect(upload.headers['Content-Length']).toBe('0');
  });

  it('is a PUT to exactly the file key, valid for 15 minutes from now', async () => {
    const upload = await presignUpload(KEY, { contentType: 'text/csv', size: 10 }, NOW);

    const url = new URL(upload.url);
    expect(upload.method).toBe('PUT');
    expect(decodeURIComponent(url.pathname)).toBe(`/${KEY}`);
    expect(url.hostname).toBe('tenantgate-unit-uploads.s3.eu-west-1.amazonaws.com');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('900');
    expect(url.searchParams.get('X-Amz-Date')).toBe('20250602T090000Z');
    expect(upload.expiresAt).toBe('2025-06-02T09:15:00.000Z');
  });

  it('puts no checksum of an empty body into the URL, and keeps the tag out of the query string', async () => {
    const upload = await presignUpload(KEY, { contentType: 'text/csv', size: 10 }, NOW);

    const params = [...new URL(upload.url).searchParams.keys()].map((p) => p.toLowerCase());
    expect(params.filter((p) => p.includes('checksum'))).toEqual([]);
    expect(params).not.toContain('x-amz-tagging');
  });
});

describe('presignDownload', () => {
  it('is a GET that saves the file under its cleaned name, valid for 15 minutes', async () => {
    // Act
    const download = await presignDownload(KEY, 'Zoë scores.csv', NOW);

    // Assess
    const url = new URL(download.url);
    expect(decodeURIComponent(url.pathname)).toBe(`/${KEY}`);
    expect(url.searchParams.get('response-content-disposition')).toBe(contentDisposition('Zoë scores.csv'));
    expect(url.searchParams.get('X-Amz-Expires')).toBe('900');
    expect(download.expiresAt).toBe('2025-06-02T09:15:00.000Z');
  });
});
