import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { openApiJson } from './openapi-json';

/**
 * `npm run openapi`: writes docs/openapi.json from the route registry (then the
 * npm script regenerates client/schema.d.ts from it with openapi-typescript).
 * test/unit/project/openapi-document.test.ts fails while either is stale.
 */
const DOCUMENT_FILE = path.resolve(__dirname, '../../docs/openapi.json');

writeFileSync(DOCUMENT_FILE, openApiJson());
console.log(`wrote ${path.relative(process.cwd(), DOCUMENT_FILE)}`);
