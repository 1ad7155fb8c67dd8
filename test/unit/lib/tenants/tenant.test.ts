import { describe, expect, it } from 'vitest';
import { tenantNameSchema } from '../../../../src/lib/tenants/tenant';

const messageOf = (value: string) => tenantNameSchema.safeParse(value).error?.issues[0]?.message;

describe('tenantNameSchema', () => {
  it('accepts and trims a name', () => {
    expect(tenantNameSchema.parse('  Acme Corp.  ')).toBe('Acme Corp.');
  });

  it('accepts international names', () => {
    expect(tenantNameSchema.parse('Zürich Straße & Søn — 東京')).toBe('Zürich Straße & Søn — 東京');
  });

  it.each(['', '   ', '\t'])('refuses the empty name %j', (value) => {
    expect(tenantNameSchema.safeParse(value).success).toBe(false);
  });

  it('accepts 100 characters and refuses 101', () => {
    expect(tenantNameSchema.safeParse('a'.repeat(100)).success).toBe(true);
    expect(messageOf('a'.repeat(101))).toBe('must be at most 100 characters');
  });

  it.each([
    ['NUL', 'Acme\u0000Corp'],
    ['line feed', 'Acme\nCorp'],
    ['carriage return', 'Acme\rCorp'],
    ['tab', 'Acme\tCorp'],
    ['escape', 'Acme\u001b[31mCorp'],
    ['DEL', 'Acme\u007fCorp'],
  ])('refuses a name with the control character %s', (_name, value) => {
    expect(messageOf(value)).toBe('must not contain control characters');
  });

  it.each([
    ['NEL (U+0085)', 'Acme\u0085Corp'],
    ['CSI (U+009B)', 'Acme\u009b31mCorp'],
  ])('refuses a name with the C1 control character %s', (_name, value) => {
    expect(messageOf(value)).toBe('must not contain control characters');
  });
});
