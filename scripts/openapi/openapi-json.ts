import { apiRoutes, DEFAULT_API_RULES } from '../../src/lib/http/api-routes';
import { openApiDocument } from '../../src/lib/openapi/openapi-document';

/** docs/openapi.json's text: the document of a stage with the default config (100 MiB uploads of `text/csv`). */
export const openApiJson = (): string => `${JSON.stringify(openApiDocument(apiRoutes(DEFAULT_API_RULES)), null, 2)}\n`;
