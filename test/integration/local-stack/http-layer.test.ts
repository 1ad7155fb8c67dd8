import { beforeAll, describe, expect, it } from 'vitest';
import { api } from '../support/api';
import { type HeaderLines, sendRaw } from '../support/raw-http';
import { type Caller, tenantWithOwner } from '../support/world';

/**
 * The local HTTP layer (serverless-offline, patched) must hand the Lambda what an API
 * Gateway HTTP API (payload 2.0) would: Cookie and Range unparsed, duplicate headers
 * joined with a comma, the body as the raw string. Otherwise a request that AWS answers
 * with our own problem+json is answered locally by hapi, or the other way round.
 */

type Answer = { status: number; header: (name: string) => string | undefined; body: unknown };

/** One request with exactly these header lines, in this order: fetch would merge duplicates itself. */
const rawRequest = (method: string, path: string, lines: HeaderLines, body?: string): Promise<Answer> =>
  sendRaw({ method, path, headers: lines, ...(body === undefined ? {} : { body }) });

const fromApi = async (...args: Parameters<typeof api>): Promise<Answer> => {
  const res = await api(...args);
  return { status: res.status, header: (name) => res.headers.get(name) ?? undefined, body: res.body };
};

const expectRefusedToken = (res: Answer) => {
  expect(res.status).toBe(401);
  expect(res.header('www-authenticate')).toBe('Bearer error="invalid_token"');
  expect(res.header('content-type')).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status: 401, title: 'Unauthorized' });
};

describe('the local HTTP layer hands the Lambda what API Gateway would', () => {
  let tenantId: string;
  let owner: Caller;

  beforeAll(async () => {
    ({ tenantId, owner } = await tenantWithOwner('HTTP layer'));
  }, 180_000);

  it.each([
    ['cookie', 'a=b; c'],
    ['cookie', '=x; ;;'],
    ['range', 'bytes=999999-'],
    ['range', 'bytes=0-1'],
  ])('leaves `%s: %s` to the Lambda: 401 without a token, the tenant with one', async (header, value) => {
    // Act
    const anonymous = await fromApi(`/tenants/${tenantId}`, { headers: { [header]: value } });
    const signedIn = await fromApi(`/tenants/${tenantId}`, { token: owner.accessToken, headers: { [header]: value } });

    // Assess: never hapi's own 400 (unparsable cookie), 416 or 206 (a range of our JSON)
    expectRefusedToken(anonymous);
    expect(signedIn.status).toBe(200);
    expect(signedIn.body).toMatchObject({ tenantId });
    expect(signedIn.header('content-range')).toBeUndefined();
    expect(signedIn.header('accept-ranges')).toBeUndefined();
  });

  it.each([
    ['Authorization', 'Authorization'],
    ['Authorization', 'authorization'],
  ])('refuses two token lines (%s, %s), which API Gateway joins with a comma, as a bad token', async (first, second) => {
    // Prepare: both lines carry the same valid token; the joined value is no bearer token
    const bearer = `Bearer ${owner.accessToken}`;

    // Act
    const res = await rawRequest('GET', `/tenants/${tenantId}`, [
      [first, bearer],
      [second, bearer],
    ]);

    // Assess
    expectRefusedToken(res);
  });

  it('joins any duplicated header with a comma: two User-Agent lines reach the audit log as one value', async () => {
    // Prepare
    const body = JSON.stringify({ name: 'HTTP layer, renamed' });

    // Act
    const renamed = await rawRequest(
      'PATCH',
      `/tenants/${tenantId}`,
      [
        ['Authorization', `Bearer ${owner.accessToken}`],
        ['Content-Type', 'application/json'],
        ['User-Agent', 'http-layer-a'],
        ['User-Agent', 'http-layer-b'],
      ],
      body,
    );
    const audit = await api(`/tenants/${tenantId}/audit`, { token: owner.accessToken });

    // Assess
    expect(renamed.status).toBe(200);
    const events = (audit.body as { items: { type: string; userAgent?: string }[] }).items;
    expect(events.find((e) => e.type === 'tenant.updated')?.userAgent).toBe('http-layer-a,http-layer-b');
  });

  it.each([
    'false',
    'null',
    '0',
    '"x"',
    // A JSON string holding an object: parsed once by the local layer, it used to pass as the object.
    JSON.stringify(JSON.stringify({ name: 'Renamed through a string' })),
  ])('refuses the JSON body %s with 400 problem+json, as the Lambda reads it from the raw string', async (raw) => {
    // Act
    const res = await fromApi(`/tenants/${tenantId}`, { method: 'PATCH', token: owner.accessToken, body: raw });
    const after = await fromApi(`/tenants/${tenantId}`, { token: owner.accessToken });

    // Assess
    expect(res.status).toBe(400);
    expect(res.header('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 400, detail: 'The request body must be a JSON object.' });
    expect(after.body).toMatchObject({ tenantId, name: expect.not.stringMatching(/through a string/) });
  });
});
