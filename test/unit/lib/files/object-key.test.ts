import { describe, expect, it } from 'vitest';
import { fileKey, filePrefix } from '../../../../src/lib/db/keys';
import { decodeEventKey, objectKey, parseObjectKey } from '../../../../src/lib/files/object-key';

const T = '5b0c3c4e-9f7a-4d52-9a51-3c1e8b0f2d11';
const F = '01977a4c-5b00-7abc-8def-0123456789ab';

describe('file keys', () => {
  it("put a file's metadata under its tenant's partition", () => {
    expect(fileKey(T, F)).toEqual({ pk: `TENANT#${T}`, sk: `FILE#${F}` });
    expect(filePrefix(T)).toEqual({ pk: `TENANT#${T}`, sk: 'FILE#' });
  });

  it("put a file's object under its tenant's prefix", () => {
    expect(objectKey(T, F)).toBe(`tenants/${T}/files/${F}`);
  });

  it.each([
    ['a tenant id with a slash', 'a/../b', F],
    ['a file id that climbs', T, '../../other'],
    ['an empty file id', T, ''],
    ['a file id with a space', T, 'a b'],
  ])('refuses to build an object key from %s', (_label, tenantId, fileId) => {
    expect(() => objectKey(tenantId, fileId)).toThrow(/malformed id/);
  });
});

describe('parseObjectKey', () => {
  it('reads the tenant and file of a tenant file', () => {
    expect(parseObjectKey(`tenants/${T}/files/${F}`)).toEqual({ tenantId: T, fileId: F });
  });

  it.each([
    'uploads/x.csv',
    `tenants/${T}/files/${F}/extra`,
    `tenants/${T}/files/`,
    `tenants/${T}/other/${F}`,
    `tenants/../files/${F}`,
    `/tenants/${T}/files/${F}`,
  ])('is not fooled by %s', (key) => {
    expect(parseObjectKey(key)).toBeUndefined();
  });
});

describe('decodeEventKey', () => {
  it('decodes the URL encoding S3 notifications use, + for a space', () => {
    expect(decodeEventKey('tenants/a/files/my+file%2B1%C3%A9.csv')).toBe('tenants/a/files/my file+1é.csv');
  });
});
