import { isAtLeast, type Role } from './roles';

/**
 * The one permission model: the lowest role allowed to do each action inside
 * a tenant. Every tenant route names its action here; nothing decides access
 * anywhere else.
 */
export const PERMISSIONS = {
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
  /** Deleting one's own upload; deleting anyone's is `files.deleteAny`. */
  'files.deleteOwn': 'member',
  'files.deleteAny': 'admin',
  'audit.read': 'admin',
  /** The tenant's SSO: its identity provider, its verified domains, enforcement. */
  'sso.manage': 'owner',
} as const satisfies Record<string, Role>;

export type TenantAction = keyof typeof PERMISSIONS;

export const can = (role: Role, action: TenantAction): boolean => isAtLeast(role, PERMISSIONS[action]);
