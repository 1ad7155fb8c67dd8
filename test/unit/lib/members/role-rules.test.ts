import { describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../../../src/lib/auth/roles';
import { ForbiddenError } from '../../../../src/lib/errors';
import { assertMayChangeRole, assertMayInviteAs, assertMayRemove } from '../../../../src/lib/members/role-rules';

const allowed = (fn: () => void): boolean => {
  try {
    fn();
    return true;
  } catch (err) {
    if (err instanceof ForbiddenError) return false;
    throw err;
  }
};

const nonOwners: Role[] = ['viewer', 'member', 'admin'];

describe('assertMayChangeRole', () => {
  it.each(ROLES.flatMap((current) => ROLES.map((next) => ({ current, next }))))(
    'lets an owner change $current to $next',
    ({ current, next }) => {
      expect(allowed(() => assertMayChangeRole('owner', current, next))).toBe(true);
    },
  );

  it.each(nonOwners.flatMap((actor) => ROLES.map((other) => ({ actor, other }))))(
    'refuses $actor granting owner to a $other, or taking it from an owner',
    ({ actor, other }) => {
      expect(allowed(() => assertMayChangeRole(actor, other, 'owner'))).toBe(false);
      expect(allowed(() => assertMayChangeRole(actor, 'owner', other))).toBe(false);
    },
  );

  it('lets an admin change roles below owner', () => {
    expect(allowed(() => assertMayChangeRole('admin', 'viewer', 'admin'))).toBe(true);
    expect(allowed(() => assertMayChangeRole('admin', 'admin', 'member'))).toBe(true);
  });
});

describe('assertMayRemove', () => {
  it('lets only an owner remove an owner', () => {
    expect(allowed(() => assertMayRemove('owner', 'owner'))).toBe(true);
    for (const actor of nonOwners) expect(allowed(() => assertMayRemove(actor, 'owner'))).toBe(false);
  });

  it('lets an admin remove a non-owner', () => {
    for (const target of nonOwners) expect(allowed(() => assertMayRemove('admin', target))).toBe(true);
  });
});

describe('assertMayInviteAs', () => {
  it('lets only an owner invite an owner', () => {
    expect(allowed(() => assertMayInviteAs('owner', 'owner'))).toBe(true);
    for (const actor of nonOwners) expect(allowed(() => assertMayInviteAs(actor, 'owner'))).toBe(false);
  });

  it('lets an admin invite below owner', () => {
    for (const role of nonOwners) expect(allowed(() => assertMayInviteAs('admin', role))).toBe(true);
  });
});
