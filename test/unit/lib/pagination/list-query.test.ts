import { describe, expect, it } from 'vitest';
import { listQuerySchema } from '../../../../src/lib/pagination/list-query';

describe('listQuerySchema', () => {
  it('defaults the limit to 25', () => {
    expect(listQuerySchema.parse({})).toEqual({ limit: 25 });
  });

  it.each([
    ['1', 1],
    ['100', 100],
  ])('accepts limit=%s', (limit, expected) => {
    expect(listQuerySchema.parse({ limit }).limit).toBe(expected);
  });

  it.each(['0', '101', '2.5', 'ten', '-1'])('refuses limit=%s', (limit) => {
    expect(listQuerySchema.safeParse({ limit }).success).toBe(false);
  });

  it('refuses an unknown query parameter', () => {
    expect(listQuerySchema.safeParse({ limit: '10', tenantId: 'tenant-b' }).success).toBe(false);
  });

  it('refuses an overlong cursor', () => {
    expect(listQuerySchema.safeParse({ cursor: 'a'.repeat(2049) }).success).toBe(false);
  });
});
