import { describe, expect, it } from 'vitest';
import { activeMembership, type UserMembership } from '../../../../src/lib/users/user-record';

const membership = (tenantId: string, joinedAt: string): UserMembership => ({
  tenantId,
  role: 'member',
  joinedAt,
});
const profile = (activeTenantId?: string) => ({ userId: 'user-1', email: 'u@acme.test', ...(activeTenantId ? { activeTenantId } : {}) });

describe('activeMembership', () => {
  const older = membership('tenant-older', '2024-01-01T00:00:00.000Z');
  const newer = membership('tenant-newer', '2024-06-01T00:00:00.000Z');

  it("is the active tenant's membership", () => {
    expect(activeMembership({ profile: profile('tenant-newer'), memberships: [older, newer] })).toBe(newer);
  });

  it("falls back to the oldest remaining membership when the active tenant's is gone", () => {
    expect(activeMembership({ profile: profile('tenant-gone'), memberships: [newer, older] })).toBe(older);
  });

  it('falls back to the oldest membership without a profile or an active tenant', () => {
    expect(activeMembership({ profile: undefined, memberships: [newer, older] })).toBe(older);
    expect(activeMembership({ profile: profile(), memberships: [newer, older] })).toBe(older);
  });

  it('is none without memberships', () => {
    expect(activeMembership({ profile: profile('tenant-a'), memberships: [] })).toBeUndefined();
  });

  it('does not reorder the memberships', () => {
    // Prepare
    const memberships = [newer, older];

    // Act
    activeMembership({ profile: undefined, memberships });

    // Assess
    expect(memberships).toEqual([newer, older]);
  });
});
