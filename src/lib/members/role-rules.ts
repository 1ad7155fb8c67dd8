import type { Role } from '../auth/roles';
import { ForbiddenError } from '../errors';

/**
 * Owner rules, on top of the permission table: only an owner grants `owner`
 * or changes (or removes) an owner. The rule that a tenant keeps at least one
 * owner is enforced by DynamoDB (see owner-count.ts), not here.
 */
export const assertMayChangeRole = (actorRole: Role, currentRole: Role, newRole: Role): void => {
  if ((currentRole === 'owner' || newRole === 'owner') && actorRole !== 'owner') {
    throw new ForbiddenError('Only an owner can grant or remove the owner role.');
  }
};

export const assertMayRemove = (actorRole: Role, targetRole: Role): void => {
  if (targetRole === 'owner' && actorRole !== 'owner') {
    throw new ForbiddenError('Only an owner can remove an owner.');
  }
};

export const assertMayInviteAs = (actorRole: Role, role: Role): void => {
  if (role === 'owner' && actorRole !== 'owner') {
    throw new ForbiddenError('Only an owner can invite an owner.');
  }
};
