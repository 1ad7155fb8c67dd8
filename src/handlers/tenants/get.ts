import { ok } from '../../lib/http/response';
import { apiRoute } from '../../lib/http/routes';
import { getTenant } from '../../lib/tenants/tenant-store';
import { getTenantRoute, tenantSchema } from '../../lib/tenants/tenants-api';

export const handler = apiRoute(getTenantRoute, async ({ caller }) => ok(tenantSchema, await getTenant(caller.tenantId)));
