import { describe, expect, it, vi } from 'vitest';
import { apiRoutes } from '../../../../src/lib/http/api-routes';
import { openApiDocument } from '../../../../src/lib/openapi/openapi-document';
import { httpEvent, lambdaContext } from '../../support/api-gateway';

vi.hoisted(() => {
  // files-config reads the stage's upload rules (and bucket) at load.
  process.env.BUCKET_NAME = 'tenantgate-unit-uploads';
});

const { handler } = await import('../../../../src/handlers/openapi/get');

describe('GET /openapi.json', () => {
  it('answers the document generated from the route registry, to anyone', async () => {
    // Act
    const res = await handler(httpEvent({ path: '/openapi.json' }), lambdaContext());

    // Assess
    expect(res.statusCode).toBe(200);
    expect(res.headers?.['content-type']).toBe('application/json');
    expect(JSON.parse(res.body ?? '')).toEqual(JSON.parse(JSON.stringify(openApiDocument(apiRoutes()))));
  });

  it('lets caches keep it five minutes, unlike every other answer', async () => {
    // Act
    const res = await handler(httpEvent({ path: '/openapi.json', headers: { authorization: 'Bearer garbage' } }), lambdaContext());

    // Assess
    expect(res.statusCode).toBe(200);
    expect(res.headers).toMatchObject({ 'cache-control': 'public, max-age=300', 'x-content-type-options': 'nosniff' });
  });
});
