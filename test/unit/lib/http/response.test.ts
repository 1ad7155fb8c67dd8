import { describe, expect, it } from 'vitest';
import { created, noContent, ok, ResponseShapeError } from '../../../../src/lib/http/response';
import { buildRoute } from '../../../../src/lib/http/route';
import { tenantSchema } from '../../../../src/lib/tenants/tenants-api';
import { httpEvent, lambdaContext } from '../../support/api-gateway';

const TENANT = { tenantId: 't-1', name: 'Acme', createdAt: '2026-03-01T09:30:00.000Z' };

describe('responses built through their schema', () => {
  it('answers 200 and 201 with the schema’s fields as JSON', () => {
    // Act
    const got = ok(tenantSchema, TENANT);
    const made = created(tenantSchema, TENANT);

    // Assess
    expect(got).toMatchObject({ statusCode: 200, headers: { 'content-type': 'application/json' } });
    expect(made.statusCode).toBe(201);
    expect(JSON.parse(got.body ?? '')).toEqual(TENANT);
  });

  it('drops a field the schema does not declare, so an internal attribute never leaves', () => {
    // Prepare: what a store read might hand back
    const item = { ...TENANT, pk: 'TENANT#t-1', ownerCount: 2 };

    // Act
    const res = ok(tenantSchema, item);

    // Assess
    expect(JSON.parse(res.body ?? '')).toEqual(TENANT);
  });

  it('refuses a value its schema refuses: a bug, not a broken contract', () => {
    expect(() => ok(tenantSchema, { ...TENANT, createdAt: 'yesterday' })).toThrow(ResponseShapeError);
  });

  it('answers a ResponseShapeError as a bare 500 problem', async () => {
    // Prepare
    const handler = buildRoute({ kind: 'public' }, {}, undefined, async () =>
      ok(tenantSchema, { ...TENANT, name: undefined as unknown as string }),
    );

    // Act
    const res = await handler(httpEvent({ path: '/x' }), lambdaContext());

    // Assess
    expect(res.statusCode).toBe(500);
    expect(JSON.parse(res.body ?? '')).toMatchObject({ status: 500, title: 'Internal Server Error' });
  });

  it('answers 204 with no body', () => {
    expect(noContent()).toEqual({ statusCode: 204, headers: {}, body: '' });
  });
});
