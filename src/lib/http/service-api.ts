import * as z from 'zod';
import { defineRoute } from './api-route';

export const healthSchema = z.object({ status: z.literal('ok') }).meta({ id: 'Health' });

export const healthRoute = defineRoute({
  operationId: 'health',
  method: 'get',
  path: '/health',
  tag: 'Service',
  summary: 'Liveness',
  access: { kind: 'public' },
  input: {},
  responses: { 200: healthSchema },
});

export const openApiDocumentSchema = z
  .looseObject({
    openapi: z.string(),
    info: z.looseObject({ title: z.string(), version: z.string() }),
    paths: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'OpenApiDocument', description: 'This document: OpenAPI 3.1, generated from the zod schemas the handlers validate with.' });

export const openApiRoute = defineRoute({
  operationId: 'openapi',
  method: 'get',
  path: '/openapi.json',
  tag: 'Service',
  summary: 'The OpenAPI 3.1 document of this API',
  access: { kind: 'public' },
  input: {},
  responses: { 200: openApiDocumentSchema },
});
