import { addDomain } from '../../lib/domains/add-domain';
import { addDomainRoute, tenantDomainSchema } from '../../lib/domains/domains-api';
import { created } from '../../lib/http/response';
import { apiRoute } from '../../lib/http/routes';

export const handler = apiRoute(addDomainRoute, async ({ caller, body }) =>
  created(tenantDomainSchema, await addDomain(caller, body.domain)),
);
