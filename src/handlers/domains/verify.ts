import { tenantDomainSchema, verifyDomainRoute } from '../../lib/domains/domains-api';
import { verifyDomain } from '../../lib/domains/verify-domain';
import { ok } from '../../lib/http/response';
import { apiRoute } from '../../lib/http/routes';

export const handler = apiRoute(verifyDomainRoute, async ({ caller, path }) =>
  ok(tenantDomainSchema, await verifyDomain(caller, path.domain)),
);
