import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import type { ApiRoute } from '../../../src/lib/http/api-route';
import { apiRoutes } from '../../../src/lib/http/api-routes';
import { openApiDocument } from '../../../src/lib/openapi/openapi-document';

vi.hoisted(() => {
  // The files handlers read the upload bucket's name at load.
  process.env.BUCKET_NAME = 'tenantgate-unit-uploads';
});

/**
 * The three places a route lives must agree: serverless.yml (the httpApi
 * event and the handler file it names), the handler (the route it was built
 * from) and the OpenAPI document. Read from the files themselves, so a route
 * added, moved or changed in one place only fails here.
 */
const root = path.resolve(__dirname, '../../..');

type HttpEvent = { httpApi?: { method: string; path: string } };
type Service = { functions: Record<string, { handler: string; events?: HttpEvent[] }> };
type Operation = {
  operationId: string;
  security: unknown[];
  parameters?: { in: string; name: string; required?: boolean }[];
  requestBody?: unknown;
  responses: Record<string, unknown>;
  'x-tenantgate-access': { kind: string; minimumRole?: string };
};

// serverless.yml's CloudFormation tags (!Ref, !GetAtt, …) read as plain values: only the functions matter here.
const service = parse(readFileSync(path.join(root, 'serverless.yml'), 'utf8'), { logLevel: 'silent' }) as Service;

/** Every httpApi event: the function's name, its handler file and export, the method and path. */
const slsRoutes = Object.entries(service.functions).flatMap(([name, fn]) =>
  (fn.events ?? []).flatMap((e) =>
    e.httpApi
      ? [{ name, file: fn.handler.slice(0, fn.handler.lastIndexOf('.')), method: e.httpApi.method.toLowerCase(), path: e.httpApi.path }]
      : [],
  ),
);

const document = openApiDocument(apiRoutes());
const operations = Object.entries(document.paths ?? {}).flatMap(([template, item]) =>
  ['get', 'put', 'post', 'patch', 'delete'].flatMap((method) => {
    const op = (item as Record<string, Operation | undefined>)[method];
    return op ? [{ key: `${method.toUpperCase()} ${template}`, template, op }] : [];
  }),
);
const operationOf = (method: string, template: string) => operations.find((o) => o.key === `${method.toUpperCase()} ${template}`)?.op;

const params = (template: string) => [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);

/** SPEC §3: every route but these needs a token. */
const PUBLIC_PATHS = ['/health', '/openapi.json', '/sso/discover'];

/** The success statuses a handler's source answers with: `ok(` 200, `created(` 201, `noContent(` 204. */
const successStatusesIn = (source: string): string[] =>
  [
    ['ok', '200'],
    ['created', '201'],
    ['noContent', '204'],
  ].flatMap(([helper, status]) => (new RegExp(`\\b${helper}\\(`).test(source) ? [status as string] : []));

describe('serverless.yml, the handlers and the OpenAPI document', () => {
  const handlers = new Map<string, ApiRoute>();

  beforeAll(async () => {
    for (const r of slsRoutes) {
      const mod = (await import(path.join(root, `${r.file}.ts`))) as { handler?: { route?: ApiRoute } };
      if (mod.handler?.route) handlers.set(r.name, mod.handler.route);
    }
  });

  it('has exactly one operation for every httpApi event, and none that serverless.yml does not route', () => {
    // Assess
    expect(operations.map((o) => o.key).sort()).toEqual(slsRoutes.map((r) => `${r.method.toUpperCase()} ${r.path}`).sort());
    expect(new Set(operations.map((o) => o.op.operationId)).size).toBe(operations.length);
  });

  it.each(slsRoutes)('names $method $path after its function ($name)', ({ name, method, path: template }) => {
    expect(operationOf(method, template)?.operationId).toBe(name);
  });

  it.each(slsRoutes)(
    'serves $method $path from the handler file serverless.yml names, built from that route',
    ({ name, method, path: template }) => {
      // Act
      const route = handlers.get(name);

      // Assess
      expect(route, `${name}'s handler carries no route: build it with apiRoute or publicRoute`).toBeDefined();
      expect({ operationId: route?.operationId, method: route?.method, path: route?.path }).toEqual({
        operationId: name,
        method,
        path: template,
      });
    },
  );

  it.each(slsRoutes)('declares the path parameters of $path, each required', ({ method, path: template }) => {
    // Act
    const declared = (operationOf(method, template)?.parameters ?? []).filter((p) => p.in === 'path');

    // Assess
    expect(declared.map((p) => p.name).sort()).toEqual(params(template).sort());
    expect(declared.every((p) => p.required)).toBe(true);
  });

  it.each(slsRoutes)("declares $method $path's body and query as its handler validates them", ({ name, method, path: template }) => {
    // Prepare
    const route = handlers.get(name);
    const op = operationOf(method, template);
    const queryShape = (route?.input.query as { shape?: object } | undefined)?.shape;

    // Assess
    expect(op?.requestBody !== undefined).toBe(route?.input.body !== undefined);
    expect((op?.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name)).toEqual(Object.keys(queryShape ?? {}));
  });

  it.each(slsRoutes)('declares the success status $method $path answers, and no other', ({ name, file, method, path: template }) => {
    // Prepare
    const source = readFileSync(path.join(root, `${file}.ts`), 'utf8');
    const declared = Object.keys(operationOf(method, template)?.responses ?? {}).filter((s) => s.startsWith('2'));

    // Assess
    expect(declared).toEqual(successStatusesIn(source));
    expect(Object.keys(handlers.get(name)?.responses ?? {})).toEqual(declared);
  });

  it.each(slsRoutes)('declares the errors the kind of $method $path implies', ({ method, path: template }) => {
    // Prepare
    const op = operationOf(method, template);
    const statuses = Object.keys(op?.responses ?? {});
    const isPublic = PUBLIC_PATHS.includes(template);
    const takesInput = params(template).length > 0 || (op?.parameters ?? []).length > 0 || op?.requestBody !== undefined;

    // Assess: a token (401), a tenant or platform-admin gate (403), an object id (404), input (400)
    expect(op?.security).toEqual(isPublic ? [] : [{ cognitoAccessToken: [] }]);
    if (!isPublic) expect(statuses).toEqual(expect.arrayContaining(['401', '503']));
    if (template.startsWith('/tenants/{tenantId}') || (template === '/tenants' && method === 'post')) expect(statuses).toContain('403');
    if (params(template).some((p) => p !== 'tenantId')) expect(statuses).toContain('404');
    if (takesInput) expect(statuses).toContain('400');
  });

  it.each(slsRoutes.filter((r) => r.path.startsWith('/tenants/{tenantId}')))(
    "requires of $method $path the lowest role its handler's action allows",
    async ({ name, method, path: template }) => {
      // Prepare
      const { PERMISSIONS } = await import('../../../src/lib/auth/permissions');
      const access = handlers.get(name)?.access;

      // Assess
      expect(access?.kind).toBe('tenant');
      if (access?.kind === 'tenant')
        expect(operationOf(method, template)?.['x-tenantgate-access'].minimumRole).toBe(PERMISSIONS[access.action]);
    },
  );
});
