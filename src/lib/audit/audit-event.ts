import { randomUUID } from 'node:crypto';
import { auditKey, ttlAfterDays } from '../db/keys';

export const AUDIT_EVENT_TYPES = [
  'auth.signup',
  'auth.login',
  'tenant.created',
  'tenant.updated',
  'invite.created',
  'invite.revoked',
  'invite.accepted',
  'member.role_changed',
  'member.removed',
  'file.uploaded',
  'file.deleted',
  'session.revoked',
  'sso.configured',
  'sso.deleted',
  'domain.added',
  'domain.verified',
  'domain.removed',
  'member.joined_via_sso',
  'member.sso_linked',
  'sso.refused',
  /** An object in a tenant's inbox (direct S3 upload) that was not taken as a file: whose, why; never its content. */
  'file.inbox_rejected',
] as const;
export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number];

export type AuditEvent = {
  at: string;
  type: AuditEventType;
  actorId: string;
  targetId?: string;
  ip?: string;
  userAgent?: string;
  details: Record<string, unknown>;
};

export type AuditInput = Omit<AuditEvent, 'at' | 'details'> & { details?: Record<string, unknown> };

/**
 * Builds the item for an audit event. `eventId` may be given to make a retried
 * write land on the same key (idempotent); otherwise it is random.
 */
export const auditItem = (
  tenantId: string | undefined,
  input: AuditInput,
  now: Date,
  retentionDays: number,
  eventId: string = randomUUID(),
) => {
  const at = now.toISOString();
  const event: AuditEvent = { ...input, at, details: input.details ?? {} };
  return {
    ...auditKey(tenantId, at, eventId),
    entity: 'audit',
    ttl: ttlAfterDays(now, retentionDays),
    ...event,
  };
};

export const toAuditEvent = (item: Record<string, unknown>): AuditEvent => {
  const { at, type, actorId, targetId, ip, userAgent, details } = item as AuditEvent;
  return {
    at,
    type,
    actorId,
    ...(targetId ? { targetId } : {}),
    ...(ip ? { ip } : {}),
    ...(userAgent ? { userAgent } : {}),
    details: details ?? {},
  };
};
