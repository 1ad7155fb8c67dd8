import { describe, expect, it } from 'vitest';
import { ForbiddenError } from '../../../../src/lib/errors';
import {
  assertMayDelete,
  cleanFileName,
  contentDisposition,
  declarationSchema,
  FILE_ID_PATTERN,
  isExpired,
  MAX_NAME_LENGTH,
  newFileId,
  PENDING_GRACE_SECONDS,
  pendingTtl,
} from '../../../../src/lib/files/file';

const rules = { maxBytes: 1000, allowedTypes: ['text/csv'] };

describe('cleanFileName', () => {
  it.each([
    ['report.csv', 'report.csv'],
    ['../../x.csv', 'x.csv'],
    ['..\\..\\windows\\x.csv', 'x.csv'],
    ['tenants/other/files/abc', 'abc'],
    ['/etc/passwd', 'passwd'],
    ['..', ''],
    ['../', ''],
    ['.hidden.csv', 'hidden.csv'],
    ['  spaced   out\tname .csv  ', 'spaced out name .csv'],
    ['trailing dots...', 'trailing dots'],
    ['a"b<c>d:e|f?g*h.csv', 'a_b_c_d_e_f_g_h.csv'],
    ['line\r\nbreak.csv', 'line break.csv'],
    ['nul\u0000byte.csv', 'nulbyte.csv'],
    ['evil\u202Evsc.exe', 'evilvsc.exe'],
    ['zero\u200Bwidth.csv', 'zerowidth.csv'],
    ['Zoe\u0308.csv', 'Zoë.csv'],
  ])('cleans %j to %j', (raw, cleaned) => {
    expect(cleanFileName(raw)).toBe(cleaned);
  });

  it('shortens a long name to the limit and keeps its extension', () => {
    const cleaned = cleanFileName(`${'a'.repeat(500)}.csv`);

    expect(Array.from(cleaned)).toHaveLength(MAX_NAME_LENGTH);
    expect(cleaned.endsWith('.csv')).toBe(true);
  });

  it('counts characters, not UTF-16 units, when shortening', () => {
    const cleaned = cleanFileName('😀'.repeat(300));

    expect(Array.from(cleaned)).toHaveLength(MAX_NAME_LENGTH);
    expect(cleaned).toBe('😀'.repeat(MAX_NAME_LENGTH));
  });
});

describe('contentDisposition', () => {
  it('offers an ASCII name as is', () => {
    expect(contentDisposition('report.csv')).toBe(`attachment; filename="report.csv"; filename*=UTF-8''report.csv`);
  });

  it('gives old clients an ASCII fallback and new ones the exact name (RFC 8187)', () => {
    expect(contentDisposition('Zoë 100% (final).csv')).toBe(
      `attachment; filename="Zo_ 100_ (final).csv"; filename*=UTF-8''Zo%C3%AB%20100%25%20%28final%29.csv`,
    );
  });

  it('cannot be broken out of by a cleaned name', () => {
    const header = contentDisposition(cleanFileName('a.csv"; filename="evil.exe'));

    expect(header.match(/"/g)).toHaveLength(2);
    expect(header).not.toMatch(/[\r\n]/);
  });
});

describe('declarationSchema', () => {
  const schema = declarationSchema(rules);

  it('accepts a CSV declaration and cleans its name', () => {
    const parsed = schema.parse({ name: '../../x.csv', contentType: 'Text/CSV', size: 10 });

    expect(parsed).toEqual({ name: 'x.csv', contentType: 'text/csv', size: 10 });
  });

  it('accepts an empty file (the ingest rejects it) and one at the limit', () => {
    expect(schema.safeParse({ name: 'a.csv', contentType: 'text/csv', size: 0 }).success).toBe(true);
    expect(schema.safeParse({ name: 'a.csv', contentType: 'text/csv', size: 1000 }).success).toBe(true);
  });

  it.each([
    ['a size over the limit', { name: 'a.csv', contentType: 'text/csv', size: 1001 }, 'size'],
    ['a negative size', { name: 'a.csv', contentType: 'text/csv', size: -1 }, 'size'],
    ['a fractional size', { name: 'a.csv', contentType: 'text/csv', size: 1.5 }, 'size'],
    ['a size as a string', { name: 'a.csv', contentType: 'text/csv', size: '10' }, 'size'],
    ['another content type', { name: 'a.csv', contentType: 'application/octet-stream', size: 1 }, 'contentType'],
    ['a name with nothing usable', { name: '../..', contentType: 'text/csv', size: 1 }, 'name'],
    ['a missing name', { contentType: 'text/csv', size: 1 }, 'name'],
  ])('refuses %s', (_label, body, field) => {
    const parsed = schema.safeParse(body);

    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path.join('.'))).toContain(field);
  });

  it.each(['key', 'tenantId', 'fileId', 'bucket'])('refuses an unknown field %s', (field) => {
    const parsed = schema.safeParse({ name: 'a.csv', contentType: 'text/csv', size: 1, [field]: 'tenants/b/files/f' });

    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.code).toBe('unrecognized_keys');
  });
});

describe('newFileId', () => {
  it('makes a UUIDv7', () => {
    expect(newFileId()).toMatch(FILE_ID_PATTERN);
  });

  it('orders ids by creation time, so a reverse sort-key read is newest first', () => {
    const older = newFileId(new Date('2025-06-01T09:00:00.000Z'));
    const newer = newFileId(new Date('2025-06-01T09:00:00.001Z'));

    expect(older < newer).toBe(true);
  });

  it('makes a different id each time within the same millisecond', () => {
    const at = new Date('2025-06-01T09:00:00.000Z');

    expect(new Set(Array.from({ length: 50 }, () => newFileId(at))).size).toBe(50);
  });
});

describe('pending declarations', () => {
  const urlExpiry = new Date('2025-06-01T09:15:00.000Z');

  it('expire a grace period after their upload URL', () => {
    expect(pendingTtl(urlExpiry)).toBe(urlExpiry.getTime() / 1000 + PENDING_GRACE_SECONDS);
  });

  it('count as gone from their TTL on, though DynamoDB deletes them later', () => {
    const ttl = pendingTtl(urlExpiry);

    expect(isExpired({ ttl }, new Date((ttl - 1) * 1000))).toBe(false);
    expect(isExpired({ ttl }, new Date(ttl * 1000))).toBe(true);
    expect(isExpired({}, new Date('2099-01-01T00:00:00.000Z'))).toBe(false);
  });
});

describe('assertMayDelete', () => {
  const upload = { uploadedBy: 'uploader' };

  it.each([
    ['the uploader as member', { userId: 'uploader', role: 'member' as const }],
    ['an admin', { userId: 'someone', role: 'admin' as const }],
    ['an owner', { userId: 'someone', role: 'owner' as const }],
  ])('lets %s delete', (_label, actor) => {
    expect(() => assertMayDelete(actor, upload)).not.toThrow();
  });

  it.each([
    ['another member', { userId: 'someone', role: 'member' as const }],
    ['a viewer, even the uploader (demoted since)', { userId: 'uploader', role: 'viewer' as const }],
  ])('refuses %s', (_label, actor) => {
    expect(() => assertMayDelete(actor, upload)).toThrow(ForbiddenError);
  });
});
