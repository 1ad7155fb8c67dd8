import { describe, expect, it } from 'vitest';
import { challengeName, domainProblem, domainSchema, emailDomain, newChallengeValue } from '../../../../src/lib/domains/domain';

const messageOf = (value: string) => domainSchema.safeParse(value).error?.issues[0]?.message;

describe('domainSchema', () => {
  it.each([
    ['Acme.COM', 'acme.com'],
    ['acme.com.', 'acme.com'],
    ['  mail.Acme.co.uk  ', 'mail.acme.co.uk'],
    ['xn--bcher-kva.example', 'xn--bcher-kva.example'],
    ['a-b.c-d.io', 'a-b.c-d.io'],
    ['123.example', '123.example'],
  ])('accepts %j as %j', (input, expected) => {
    expect(domainSchema.parse(input)).toBe(expected);
  });

  it('accepts labels of 63 characters and a name of 253, and refuses 64 and 254', () => {
    const label63 = 'a'.repeat(63);
    const name253 = [label63, label63, label63, 'b'.repeat(61)].join('.');
    expect(name253).toHaveLength(253);
    expect(domainSchema.safeParse(`${label63}.com`).success).toBe(true);
    expect(domainSchema.safeParse(name253).success).toBe(true);
    expect(messageOf(`${'a'.repeat(64)}.com`)).toBe('must not have a label longer than 63 characters');
    expect(messageOf(`${name253}c`)).toBe('must be at most 253 characters');
  });

  it.each([
    ['a single label', 'localhost', 'must have at least two labels, like example.com'],
    ['an empty name', '', 'must not be empty'],
    ['an empty label', 'acme..com', 'must not have an empty label'],
    ['a leading dot', '.acme.com', 'must not have an empty label'],
    [
      'a label starting with a hyphen',
      '-acme.com',
      'labels hold only letters, digits and hyphens, and neither start nor end with a hyphen',
    ],
    ['a label ending with a hyphen', 'acme-.com', 'labels hold only letters, digits and hyphens, and neither start nor end with a hyphen'],
    ['an underscore', 'ac_me.com', 'labels hold only letters, digits and hyphens, and neither start nor end with a hyphen'],
    ['a space', 'ac me.com', 'labels hold only letters, digits and hyphens, and neither start nor end with a hyphen'],
    ['an email address', 'ana@acme.com', 'labels hold only letters, digits and hyphens, and neither start nor end with a hyphen'],
    ['a URL', 'https://acme.com', 'labels hold only letters, digits and hyphens, and neither start nor end with a hyphen'],
    ['an IPv4 address', '192.168.1.10', 'must be a domain name, not an IP address'],
    ['an IPv6 address', '2001:db8::1', 'must be a domain name, not an IP address'],
    ['an IPv6 address with dots', '::ffff:192.0.2.1', 'must be a domain name, not an IP address'],
  ])('refuses %s', (_what, input, message) => {
    expect(messageOf(input)).toBe(message);
  });

  it('refuses raw Unicode with a pointer to punycode', () => {
    expect(messageOf('bücher.example')).toBe('must be written in ASCII: give an internationalized domain in its punycode form (xn--…)');
    expect(messageOf('exa\u0000mple.com')).toMatch(/ASCII/);
  });

  it('refuses a non-string', () => {
    expect(domainSchema.safeParse(42).success).toBe(false);
  });
});

describe('domainProblem', () => {
  it('is undefined for a valid normalized domain', () => {
    expect(domainProblem('acme.com')).toBeUndefined();
  });
});

describe('emailDomain', () => {
  it.each([
    ['ana@acme.com', 'acme.com'],
    ['Ana.Lopez@Mail.ACME.com', 'mail.acme.com'],
    ['"odd@name"@acme.com', 'acme.com'],
    ['ana@acme.com.', 'acme.com'],
  ])('finds the domain of %j', (email, domain) => {
    expect(emailDomain(email)).toBe(domain);
  });

  it.each(['acme.com', '@acme.com', 'ana@', 'ana@localhost', 'ana@192.168.0.1', 'ana@bücher.example'])(
    'answers undefined for %j',
    (email) => {
      expect(emailDomain(email)).toBeUndefined();
    },
  );
});

describe('the challenge', () => {
  it('lives one label under the domain', () => {
    expect(challengeName('acme.com')).toBe('_tenantgate-challenge.acme.com');
  });

  it('carries at least 128 random bits, URL-safe, and differs every time', () => {
    const values = new Set(Array.from({ length: 50 }, newChallengeValue));
    expect(values.size).toBe(50);
    for (const value of values) {
      const [prefix, secret] = value.split('=');
      expect(prefix).toBe('tenantgate-domain-verification');
      expect(secret).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(Buffer.from(secret ?? '', 'base64url').length * 8).toBeGreaterThanOrEqual(128);
    }
  });
});
