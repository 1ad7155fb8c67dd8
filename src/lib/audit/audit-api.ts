import * as z from 'zod';
import { defineRoute } from '../http/api-route';
import { pageOf, tenantPath, timestamp } from '../http/schemas';
import { listQuerySchema } from '../pagination/list-query';
import { AUDIT_EVENT_TYPES } from './audit-event';

const isoTime = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time, e.g. 2026-01-31T12:00:00Z' });

export const auditQuerySchema = listQuerySchema
  .extend({
    from: isoTime.optional().meta({ description: 'The earliest event time (inclusive).' }),
    to: isoTime.optional().meta({ description: 'The latest event time (inclusive).' }),
  })
  .refine((q) => !q.from || !q.to || Date.parse(q.from) <= Date.parse(q.to), { message: 'must not be after `to`', path: ['from'] });

export const auditEventSchema = z
  .object({
    at: timestamp,
    type: z.enum(AUDIT_EVENT_TYPES),
    actorId: z.string(),
    targetId: z.string().optional(),
    ip: z.string().optional(),
    userAgent: z.string().optional(),
    details: z.record(z.string(), z.unknown()),
  })
  .meta({
    id: 'AuditEvent',
    examples: [
      {
        at: '2026-03-01T09:30:00.000Z',
        type: 'member.role_changed',
        actorId: '5a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
        targetId: '9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a',
        ip: '203.0.113.7',
        userAgent: 'Mozilla/5.0',
        details: { from: 'viewer', to: 'member' },
      },
    ],
  });

export const auditEventPageSchema = pageOf(auditEventSchema, 'AuditEventPage');

export const listAuditRoute = defineRoute({
  operationId: 'listAudit',
  method: 'get',
  path: '/tenants/{tenantId}/audit',
  tag: 'Audit',
  summary: "The tenant's audit events, newest first",
  description: 'admin+; optionally between `from` and `to` (ISO 8601 times, inclusive).',
  access: { kind: 'tenant', action: 'audit.read' },
  input: { path: tenantPath, query: auditQuerySchema },
  responses: { 200: auditEventPageSchema },
});
