import * as z from 'zod';

/** Roles, lowest to highest. */
export const ROLES = ['viewer', 'member', 'admin', 'owner'] as const;
export const roleSchema = z.enum(ROLES).meta({ id: 'Role', description: 'Lowest to highest: viewer < member < admin < owner.' });
export type Role = z.infer<typeof roleSchema>;

export const PLATFORM_ADMIN_GROUP = 'platform-admin';

const rank = (role: Role): number => ROLES.indexOf(role);

export const isAtLeast = (role: Role, minimum: Role): boolean => rank(role) >= rank(minimum);
