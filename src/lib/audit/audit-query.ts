import type * as z from 'zod';
import { auditPartitions } from '../db/keys';
import { mergedPagedQuery } from '../db/merged-query';
import type { Page } from '../pagination/list-query';
import type { auditQuerySchema } from './audit-api';
import { type AuditEvent, toAuditEvent } from './audit-event';

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
