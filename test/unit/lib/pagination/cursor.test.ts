import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../../src/lib/errors';
import { createCursorCodec } from '../../../../src/lib/pagination/cursor';

const SECRET = 'unit-test-cursor-secret-0123456789abcdef';
const scope = { tenantId: 'tenant-a', list: 'members' };
const resumeKey = { pk: 'TENANT#tenant-a', sk: 'MEMBER#user-7' };

const flipByte = (cursor: string, index: number): string => {
  const raw = Buffer.from(cursor, 'base64url');
  raw[index] = (raw[index] ?? 0) ^ 0x01;
  return raw.toString('base64url');
};

describe('createCursorCodec', () => {
  const codec = createCursorCodec(SECRET);

  it('opens a cursor it sealed, for the same tenant and list', () => {
    // Act
    const cursor = codec.seal(scope, resumeKey);

    // Assess
    expect(codec.open(scope, cursor)).toEqual(resumeKey);
  });

  it('gives an opaque cursor that does not show the key', () => {
    // Act
    const cursor = codec.seal(scope, resumeKey);

    // Assess
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(Buffer.from(cursor, 'base64url').toString('latin1')).not.toContain('MEMBER#');
  });

  it.each([
    ['another tenant', { tenantId: 'tenant-b', list: 'members' }],
    ['another list', { tenantId: 'tenant-a', list: 'invites' }],
  ])('refuses a cursor of %s with a 400 on the cursor field', (_what, otherScope) => {
    // Prepare
    const cursor = codec.seal(scope, resumeKey);

    // Act
    const open = () => codec.open(otherScope, cursor);

    // Assess
    expect(open).toThrow(ValidationError);
    try {
      open();
    } catch (err) {
      expect((err as ValidationError).errors).toEqual([{ path: 'cursor', message: expect.any(String) }]);
    }
  });

  it.each([0, 12, 28, -1])('refuses a cursor with byte %i changed', (index) => {
    // Prepare
    const cursor = codec.seal(scope, resumeKey);
    const length = Buffer.from(cursor, 'base64url').length;

    // Act
    const open = () => codec.open(scope, flipByte(cursor, index < 0 ? length + index : index));

    // Assess
    expect(open).toThrow(ValidationError);
  });

  it('refuses a cursor sealed with another key', () => {
    // Prepare
    const cursor = createCursorCodec(`${SECRET}-other`).seal(scope, resumeKey);

    // Act
    const open = () => codec.open(scope, cursor);

    // Assess
    expect(open).toThrow(ValidationError);
  });

  it.each(['', 'abc', 'not base64url!', `${'A'.repeat(40)}==`])('refuses the garbage cursor %j', (cursor) => {
    expect(() => codec.open(scope, cursor)).toThrow(ValidationError);
  });

  it('refuses a non-canonical encoding of a valid cursor', () => {
    // Prepare
    const cursor = codec.seal(scope, resumeKey);

    // Act
    const open = () => codec.open(scope, `${cursor}=`);

    // Assess
    expect(open).toThrow(ValidationError);
  });

  it('refuses a secret shorter than 32 characters', () => {
    expect(() => createCursorCodec('short')).toThrow(/at least 32 characters/);
  });
});
