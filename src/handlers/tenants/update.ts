import { ok } from '../../lib/http/response';
import { apiRoute } from '../../lib/http/routes';
import { renameTenant } from '../../lib/tenants/tenant-store';
import { tenantSchema, updateTenantRoute } from '../../lib/tenants/tenants-api';

export const handler = apiRoute(updateTenantRoute, async ({ caller, body }) => ok(tenantSchema, await renameTenant(caller, body.name)));
