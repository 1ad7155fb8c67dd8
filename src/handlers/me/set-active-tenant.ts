import { ok } from '../../lib/http/response';
import { apiRoute } from '../../lib/http/routes';
import { setActiveTenant } from '../../lib/users/active-tenant';
import { activeTenantSchema, setActiveTenantRoute } from '../../lib/users/me-api';

export const handler = apiRoute(setActiveTenantRoute, async ({ caller, body }) =>
  ok(activeTenantSchema, await setActiveTenant(caller, body.tenantId)),
);
