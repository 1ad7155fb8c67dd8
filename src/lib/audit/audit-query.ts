import * as z from 'zod';
import { auditPartitions } from '../db/keys';
import { mergedPagedQuery } from '../db/merged-query';
import type { Page } from '../pagination/list-query';
import { listQuerySchema } from '../pagination/list-query';
import { type AuditEvent, toAuditEvent } from './audit-event';

const isoTime = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time, e.g. 2026-01-31T12:00:00Z' });

export const auditQuerySchema = listQuerySchema
  .extend({ from: isoTime.optional(), to: isoTime.optional() })
  .refine((q) => !q.from || !q.to || Date.parse(q.from) <= Date.parse(q.to), { message: 'must not be after `to`', path: ['from'] });
export type AuditQuery = z.infer<typeof auditQuerySchema>;

/**
 * A tenant's audit events, newest first, optionally between two times
 * (inclusive): one merged page over every shard of the tenant's log.
 */
export const listAuditEvents = (tenantId: string, query: AuditQuery): Promise<Page<AuditEvent>> => {
  const from = query.from ? new Date(query.from).toISOString() : '0000';
  const to = query.to ? `${new Date(query.to).toISOString()}#\uffff` : '9999';
  return mergedPagedQuery(
    { tenantId, list: `audit|${from}|${to}` },
    query,
    { partitions: auditPartitions(tenantId), from, to },
    toAuditEvent,
  );
};
