import { publicRoute } from '../../lib/http/public-route';
import { ok } from '../../lib/http/response';
import { discoverSso } from '../../lib/sso/discover';
import { discoverSsoRoute, discoverySchema } from '../../lib/sso/sso-api';

/** Public: counted per source address (API Gateway's, never a header the client sets). */
export const handler = publicRoute(discoverSsoRoute, async ({ body, client }) =>
  ok(discoverySchema, await discoverSso(body.email, client.ip ?? 'unknown')),
);
