import type { Role } from '../auth/roles';

export type UserMembership = { tenantId: string; role: Role; joinedAt: string };
/** `ssoTenantId`: the account came through (or was linked to) that tenant's SSO and may belong to that tenant alone. */
export type UserProfile = { userId: string; email: string; activeTenantId?: string; ssoTenantId?: string };
export type UserRecord = { profile: UserProfile | undefined; memberships: UserMembership[] };

/**
 * The membership whose claims go into the user's tokens: the active tenant's,
 * or, if the user was removed from it, the oldest remaining one; none if the
 * user belongs to no tenant.
 */
export const activeMembership = (record: UserRecord): UserMembership | undefined => {
  const active = record.memberships.find((m) => m.tenantId === record.profile?.activeTenantId);
  if (active) return active;
  return [...record.memberships].sort((a, b) => a.joinedAt.localeCompare(b.joinedAt))[0];
};
