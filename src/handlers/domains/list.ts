import { listTenantDomains } from '../../lib/domains/domain-store';
import { listDomainsRoute, tenantDomainPageSchema } from '../../lib/domains/domains-api';
import { ok } from '../../lib/http/response';
import { apiRoute } from '../../lib/http/routes';

export const handler = apiRoute(listDomainsRoute, async ({ caller, query }) =>
  ok(tenantDomainPageSchema, await listTenantDomains(caller.tenantId, query)),
);
