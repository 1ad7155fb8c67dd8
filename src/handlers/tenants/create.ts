import { created } from '../../lib/http/response';
import { apiRoute } from '../../lib/http/routes';
import { createTenant } from '../../lib/tenants/create-tenant';
import { createdTenantSchema, createTenantRoute } from '../../lib/tenants/tenants-api';

/** Answers the tenant and the owner's invite; the invite's code goes by email only (the schema has no field for it). */
export const handler = apiRoute(createTenantRoute, async ({ caller, body }) =>
  created(createdTenantSchema, await createTenant(caller, body)),
);
