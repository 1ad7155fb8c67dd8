import { describe, expect, it } from 'vitest';
import { can, PERMISSIONS, type TenantAction } from '../../../../src/lib/auth/permissions';
import { ROLES, type Role } from '../../../../src/lib/auth/roles';

/** The intended minimum role per action, from SPEC §3 (the route table). */
const INTENDED_MINIMUM: Record<TenantAction, Role> = {
  'tenant.read': 'viewer',
  'tenant.update': 'admin',
  'members.list': 'viewer',
  'members.update': 'admin',
  'members.remove': 'admin',
  'invites.create': 'admin',
  'invites.list': 'admin',
  'invites.revoke': 'admin',
  'files.create': 'member',
  'files.list': 'viewer',
  'files.read': 'viewer',
  'files.deleteOwn': 'member',
  'files.deleteAny': 'admin',
  'audit.read': 'admin',
  // Issue 14: a tenant's SSO (provider, verified domains) is the owner's alone.
  'sso.manage': 'owner',
};

const actions = Object.keys(INTENDED_MINIMUM) as TenantAction[];
const grid = actions.flatMap((action) => ROLES.map((role) => ({ action, role })));

describe('permissions', () => {
  it('names exactly the actions the spec describes', () => {
    expect(Object.keys(PERMISSIONS).sort()).toEqual([...actions].sort());
  });

  it.each(grid)('$role may do $action only if at least the intended minimum role', ({ action, role }) => {
    // Prepare
    const allowed = ROLES.indexOf(role) >= ROLES.indexOf(INTENDED_MINIMUM[action]);

    // Act
    const decision = can(role, action);

    // Assess
    expect(decision).toBe(allowed);
  });

  it('lets a viewer only read', () => {
    expect(actions.filter((a) => can('viewer', a)).sort()).toEqual(['files.list', 'files.read', 'members.list', 'tenant.read']);
  });

  it('lets an owner do everything', () => {
    expect(actions.every((a) => can('owner', a))).toBe(true);
  });
});
