import { auditQuerySchema, listAuditEvents } from '../../lib/audit/audit-query';
import { ok } from '../../lib/http/response';
import { tenantRoute } from '../../lib/http/routes';
import { tenantPath } from '../../lib/http/schemas';

export const handler = tenantRoute('audit.read', { path: tenantPath, query: auditQuerySchema }, async ({ caller, query }) =>
  ok(await listAuditEvents(caller.tenantId, query)),
);
