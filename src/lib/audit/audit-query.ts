import * as z from 'zod';
import { tableName } from '../db/client';
import { auditPartition } from '../db/keys';
import { pagedQuery } from '../db/paged-query';
import type { Page } from '../pagination/list-query';
import { listQuerySchema } from '../pagination/list-query';
import { type AuditEvent, toAuditEvent } from './audit-event';

const isoTime = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time, e.g. 2026-01-31T12:00:00Z' });

export const auditQuerySchema = listQuerySchema
  .extend({ from: isoTime.optional(), to: isoTime.optional() })
  .refine((q) => !q.from || !q.to || Date.parse(q.from) <= Date.parse(q.to), { message: 'must not be after `to`', path: ['from'] });
export type AuditQuery = z.infer<typeof auditQuerySchema>;

/** A tenant's audit events, newest first, optionally between two times (inclusive). */
export const listAuditEvents = (tenantId: string, query: AuditQuery): Promise<Page<AuditEvent>> => {
  const from = query.from ? new Date(query.from).toISOString() : '0000';
  const to = query.to ? `${new Date(query.to).toISOString()}#\uffff` : '9999';
  return pagedQuery(
    { tenantId, list: `audit|${from}|${to}` },
    query,
    {
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': auditPartition(tenantId), ':from': from, ':to': to },
      ScanIndexForward: false,
      ConsistentRead: true,
    },
    toAuditEvent,
  );
};
