import { removeDomainRoute } from '../../lib/domains/domains-api';
import { removeDomain } from '../../lib/domains/remove-domain';
import { noContent } from '../../lib/http/response';
import { apiRoute } from '../../lib/http/routes';

export const handler = apiRoute(removeDomainRoute, async ({ caller, path }) => {
  await removeDomain(caller, path.domain);
  return noContent();
});
