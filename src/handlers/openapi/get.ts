import { filesConfig } from '../../lib/files/files-config';
import { apiRoutes } from '../../lib/http/api-routes';
import { publicRoute } from '../../lib/http/public-route';
import { ok } from '../../lib/http/response';
import { openApiDocumentSchema, openApiRoute } from '../../lib/http/service-api';
import { openApiDocument } from '../../lib/openapi/openapi-document';

/** Generated once per cold start from the route registry, with this stage's upload limits. */
const document = openApiDocumentSchema.parse(openApiDocument(apiRoutes({ files: filesConfig })));

/** Public and the same for everyone: caches may keep it five minutes. */
export const handler = publicRoute(openApiRoute, async () =>
  ok(openApiDocumentSchema, document, { 'cache-control': 'public, max-age=300' }),
);
