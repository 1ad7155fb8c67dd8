import { auditEventPageSchema, listAuditRoute } from '../../lib/audit/audit-api';
import { listAuditEvents } from '../../lib/audit/audit-query';
import { ok } from '../../lib/http/response';
import { apiRoute } from '../../lib/http/routes';

export const handler = apiRoute(listAuditRoute, async ({ caller, query }) =>
  ok(auditEventPageSchema, await listAuditEvents(caller.tenantId, query)),
);
