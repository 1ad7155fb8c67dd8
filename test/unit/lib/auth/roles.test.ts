import { describe, expect, it } from 'vitest';
import { isAtLeast, ROLES, roleSchema } from '../../../../src/lib/auth/roles';

describe('roles', () => {
  it('orders the roles viewer < member < admin < owner', () => {
    expect(ROLES).toEqual(['viewer', 'member', 'admin', 'owner']);
  });

  it.each([
    ['viewer', 'viewer', true],
    ['viewer', 'member', false],
    ['viewer', 'admin', false],
    ['viewer', 'owner', false],
    ['member', 'viewer', true],
    ['member', 'member', true],
    ['member', 'admin', false],
    ['member', 'owner', false],
    ['admin', 'viewer', true],
    ['admin', 'member', true],
    ['admin', 'admin', true],
    ['admin', 'owner', false],
    ['owner', 'viewer', true],
    ['owner', 'member', true],
    ['owner', 'admin', true],
    ['owner', 'owner', true],
  ] as const)('isAtLeast(%s, %s) is %s', (role, minimum, expected) => {
    expect(isAtLeast(role, minimum)).toBe(expected);
  });

  it.each(['Owner', 'superuser', '', 'platform-admin'])('the role schema refuses %j', (value) => {
    expect(roleSchema.safeParse(value).success).toBe(false);
  });
});
