import { describe, expect, it } from 'vitest';
import { effectiveStatus, emailSchema, inviteExpiry, isUnexpired, newestInvite, normalizeEmail } from '../../../../src/lib/invites/invite';

const NOW = new Date('2025-06-02T09:00:00.000Z');

describe('normalizeEmail', () => {
  it('trims and lower-cases', () => {
    expect(normalizeEmail('  Alice.Smith@Example.COM \n')).toBe('alice.smith@example.com');
  });
});

describe('emailSchema', () => {
  it('accepts an address and normalizes it', () => {
    expect(emailSchema.parse('  Alice@Example.COM ')).toBe('alice@example.com');
  });

  it.each(['', 'alice', 'alice@', '@example.com', 'alice@example', 'alice smith@example.com', 'alice@exa mple.com'])(
    'refuses %j with "must be an email address"',
    (value) => {
      // Act
      const parsed = emailSchema.safeParse(value);

      // Assess
      expect(parsed.success).toBe(false);
    },
  );

  it('refuses an address over 254 characters', () => {
    // Prepare
    const long = `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(60)}.test`;

    // Act
    const parsed = emailSchema.safeParse(long);

    // Assess
    expect(long.length).toBeGreaterThan(254);
    expect(parsed.success).toBe(false);
  });

  it('says what is wrong', () => {
    expect(emailSchema.safeParse('not-an-email').error?.issues[0]?.message).toBe('must be an email address');
  });
});

describe('isUnexpired and effectiveStatus', () => {
  it('keeps a pending invite pending before its expiry', () => {
    expect(effectiveStatus('pending', '2025-06-02T09:00:00.001Z', NOW)).toBe('pending');
  });

  it('shows a pending invite as expired at and after its expiry', () => {
    expect(effectiveStatus('pending', '2025-06-02T09:00:00.000Z', NOW)).toBe('expired');
    expect(effectiveStatus('pending', '2025-05-01T00:00:00.000Z', NOW)).toBe('expired');
  });

  it.each(['accepted', 'revoked'] as const)('keeps a %s invite so after its expiry', (status) => {
    expect(effectiveStatus(status, '2025-05-01T00:00:00.000Z', NOW)).toBe(status);
  });

  it('treats an unparsable expiry as expired', () => {
    expect(isUnexpired({ expiresAt: 'soon' }, NOW)).toBe(false);
  });
});

describe('inviteExpiry', () => {
  it('is ttlDays after now', () => {
    expect(inviteExpiry(NOW, 7)).toBe('2025-06-09T09:00:00.000Z');
  });
});

describe('newestInvite', () => {
  it('picks the most recently created invite without reordering its input', () => {
    // Prepare
    const invites = [
      { inviteId: 'b', createdAt: '2025-05-02T00:00:00.000Z' },
      { inviteId: 'c', createdAt: '2025-05-03T00:00:00.000Z' },
      { inviteId: 'a', createdAt: '2025-05-01T00:00:00.000Z' },
    ];

    // Act
    const newest = newestInvite(invites);

    // Assess
    expect(newest?.inviteId).toBe('c');
    expect(invites.map((i) => i.inviteId)).toEqual(['b', 'c', 'a']);
  });

  it('has none for no invites', () => {
    expect(newestInvite([])).toBeUndefined();
  });
});
