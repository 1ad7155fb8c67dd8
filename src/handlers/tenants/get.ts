import { ok } from '../../lib/http/response';
import { tenantRoute } from '../../lib/http/routes';
import { tenantPath } from '../../lib/http/schemas';
import { getTenant } from '../../lib/tenants/tenant-store';

export const handler = tenantRoute('tenant.read', { path: tenantPath }, async ({ caller }) => ok(await getTenant(caller.tenantId)));
