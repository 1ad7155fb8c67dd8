import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Validator } from '@seriousme/openapi-schema-validator';
import openapiTS, { astToString, COMMENT_HEADER } from 'openapi-typescript';
import { describe, expect, it, vi } from 'vitest';
import { openApiJson } from '../../../scripts/openapi/openapi-json';
import { DEFAULT_DECLARATION_RULES } from '../../../src/lib/files/file';
import { parseFilesConfig } from '../../../src/lib/files/files-config';

vi.hoisted(() => {
  // files-config reads the upload bucket's name at load.
  process.env.BUCKET_NAME = 'tenantgate-unit-uploads';
});

const root = path.resolve(__dirname, '../../..');
const DOCUMENT_FILE = path.join(root, 'docs/openapi.json');
const CLIENT_TYPES_FILE = path.join(root, 'client/schema.d.ts');
const REGENERATE = 'stale: run `npm run openapi` and commit docs/openapi.json and client/schema.d.ts';

describe('docs/openapi.json', () => {
  it('is what the generator makes of the route registry now', () => {
    // Act
    const generated = openApiJson();

    // Assess
    expect(readFileSync(DOCUMENT_FILE, 'utf8'), REGENERATE).toBe(generated);
  });

  it('describes a stage with the default upload rules', () => {
    // Act
    const defaults = parseFilesConfig({ BUCKET_NAME: 'tenantgate-unit-uploads' });

    // Assess
    expect({ maxBytes: defaults.maxBytes, allowedTypes: defaults.allowedTypes }).toEqual(DEFAULT_DECLARATION_RULES);
  });

  it('is a valid OpenAPI 3.1 document, by the official schema', async () => {
    // Prepare
    const validator = new Validator();

    // Act
    const result = await validator.validate(JSON.parse(openApiJson()));

    // Assess
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('would be refused by the validator if it broke the schema (a parameter `in: body`, as in Swagger 2)', async () => {
    // Prepare
    const broken = JSON.parse(openApiJson());
    broken.paths['/me'].get.parameters = [{ name: 'me', in: 'body', schema: { type: 'object' } }];

    // Act
    const result = await new Validator().validate(broken);

    // Assess
    expect(result.valid).toBe(false);
  });
});

describe('client/schema.d.ts', () => {
  it('is what openapi-typescript makes of docs/openapi.json', async () => {
    // Act: as `openapi-typescript docs/openapi.json --output client/schema.d.ts` writes it
    const generated = `${COMMENT_HEADER}${astToString(await openapiTS(pathToFileURL(DOCUMENT_FILE), { silent: true }))}`;

    // Assess
    expect(readFileSync(CLIENT_TYPES_FILE, 'utf8'), REGENERATE).toBe(generated);
  });
});
