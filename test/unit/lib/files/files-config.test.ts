import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_MAX_BYTES, MAX_URL_SECONDS, parseFilesConfig } from '../../../../src/lib/files/files-config';

// The module reads its own config when it loads (vi.hoisted runs before the imports).
vi.hoisted(() => {
  process.env.BUCKET_NAME = 'tenantgate-unit-uploads';
});

const base = { BUCKET_NAME: 'tenantgate-dev-uploads-123456789012-eu-west-1' };

describe('parseFilesConfig', () => {
  it('defaults to 100 MiB, text/csv and 15-minute URLs', () => {
    const config = parseFilesConfig(base, 'eu-west-1');

    expect(config).toEqual({
      region: 'eu-west-1',
      bucketName: base.BUCKET_NAME,
      s3Endpoint: undefined,
      maxBytes: DEFAULT_MAX_BYTES,
      allowedTypes: ['text/csv'],
      urlSeconds: MAX_URL_SECONDS,
    });
    expect(DEFAULT_MAX_BYTES).toBe(100 * 1024 * 1024);
  });

  it("reads the stage's values, with '' meaning unset as serverless.yml passes it", () => {
    const config = parseFilesConfig(
      {
        ...base,
        S3_ENDPOINT: '',
        FILES_MAX_BYTES: '5000',
        FILES_ALLOWED_TYPES: 'text/csv, Application/vnd.ms-excel',
        FILES_URL_SECONDS: '300',
      },
      'eu-west-1',
    );

    expect(config).toMatchObject({
      s3Endpoint: undefined,
      maxBytes: 5000,
      allowedTypes: ['text/csv', 'application/vnd.ms-excel'],
      urlSeconds: 300,
    });
  });

  it.each([
    ['no bucket', { BUCKET_NAME: undefined }],
    ['a bucket name S3 would refuse', { BUCKET_NAME: 'Not_A_Bucket' }],
    ['URLs living longer than 15 minutes', { FILES_URL_SECONDS: '901' }],
    ['a limit above what one PUT can carry', { FILES_MAX_BYTES: String(5 * 1024 ** 3 + 1) }],
    ['a limit of nothing', { FILES_MAX_BYTES: '0' }],
    ['a type the ingest cannot parse as CSV', { FILES_ALLOWED_TYPES: 'text/csv,application/json' }],
    ['no type at all', { FILES_ALLOWED_TYPES: ' , ' }],
    ['an endpoint that is not a URL', { S3_ENDPOINT: 'localhost' }],
  ])('fails the cold start on %s', (_label, change) => {
    expect(() => parseFilesConfig({ ...base, ...change }, 'eu-west-1')).toThrow(/Invalid files configuration/);
  });
});
