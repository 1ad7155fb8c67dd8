import type { AuthContext } from './auth-context';
import type { Role } from './roles';

/**
 * Who is asking, and from where: built once per request from the verified
 * auth context and passed first to every use case. Every tenant-owned key a
 * use case builds comes from `caller.tenantId`, never from client input.
 */
export type Caller = {
  userId: string;
  sessionId: string;
  clientId: string;
  isPlatformAdmin: boolean;
  /** The verified, current tenant and the caller's role in it now; absent with no membership. */
  tenantId?: string;
  role?: Role;
  ip?: string;
  userAgent?: string;
};

/** A caller inside a tenant route: the tenant and role are checked and present. */
export type TenantCaller = Caller & { tenantId: string; role: Role };

export const callerOf = (auth: AuthContext, client: { ip?: string; userAgent?: string }): Caller => ({
  userId: auth.userId,
  sessionId: auth.sessionId,
  clientId: auth.clientId,
  isPlatformAdmin: auth.isPlatformAdmin,
  ...(auth.tenant ? { tenantId: auth.tenant.tenantId, role: auth.tenant.role } : {}),
  ...client,
});

/** The operator CLI, under its own actor id, so the audit log says who did it. */
export const operatorCaller = (actorId: string): Caller => ({
  userId: actorId,
  sessionId: 'operator',
  clientId: 'operator',
  isPlatformAdmin: true,
});

/**
 * The operator inside a tenant: acts above the tenant's roles (as an owner
 * would); every rule a tenant must keep (the last owner, pending invites) still holds.
 */
export const operatorInTenant = (actorId: string, tenantId: string): TenantCaller => ({
  ...operatorCaller(actorId),
  tenantId,
  role: 'owner',
});

/** The actor fields of an audit event: who, and from which address and agent. */
export const actedBy = (caller: Caller): { actorId: string; ip?: string; userAgent?: string } => ({
  actorId: caller.userId,
  ...(caller.ip ? { ip: caller.ip } : {}),
  ...(caller.userAgent ? { userAgent: caller.userAgent } : {}),
});
