import { describe, expect, it } from 'vitest';
import { documentContract, type Exchange } from '../../integration/support/contract';

/**
 * The check every integration response goes through (test/integration/setup-contract.ts),
 * against docs/openapi.json: what it lets through and what it refuses.
 */
const contract = documentContract();

const TENANT = { tenantId: 't-1', name: 'Acme', createdAt: '2026-03-01T09:30:00.000Z' };
const INVITE = {
  inviteId: 'i-1',
  tenantId: 't-1',
  email: 'ana@acme.test',
  role: 'member',
  status: 'pending',
  expiresAt: '2026-03-08T09:30:00.000Z',
  createdAt: '2026-03-01T09:30:00.000Z',
};
const PROBLEM = {
  type: 'https://tenantgate.dev/problems/unauthorized',
  title: 'Unauthorized',
  status: 401,
  detail: 'A valid access token is required.',
};

const exchange = (method: string, path: string, status: number, body?: unknown, headers: Record<string, string> = {}): Exchange => ({
  method,
  path,
  status,
  headers: new Headers(body === undefined ? headers : { 'content-type': 'application/json', ...headers }),
  text: body === undefined ? '' : JSON.stringify(body),
});

const problemOf = (status: number, headers: Record<string, string> = {}) =>
  exchange('GET', '/tenants/t-1', status, { ...PROBLEM, status }, { 'content-type': 'application/problem+json', ...headers });

describe('the response contract of docs/openapi.json', () => {
  it('accepts a tenant as GET /tenants/{tenantId} declares it', () => {
    expect(contract.problemsOf(exchange('GET', '/tenants/t-1', 200, TENANT))).toEqual([]);
  });

  it('refuses a field the document does not declare, such as an invite code hash', () => {
    // Act
    const problems = contract.problemsOf(
      exchange('GET', '/tenants/t-1/invites?limit=5', 200, { items: [{ ...INVITE, codeHash: 'x' }], nextCursor: null }),
    );

    // Assess
    expect(problems).toEqual([expect.stringMatching(/^body\/items\/0 must NOT have additional properties .*codeHash/)]);
  });

  it('refuses a missing field and a wrong type', () => {
    // Act
    const problems = contract.problemsOf(exchange('GET', '/tenants/t-1', 200, { tenantId: 't-1', name: 42 }));

    // Assess
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/must have required property 'createdAt'/),
        expect.stringMatching(/^body\/name must be string/),
      ]),
    );
  });

  it('refuses a status the operation does not declare', () => {
    expect(contract.problemsOf(exchange('GET', '/tenants/t-1', 201, TENANT))).toEqual([
      expect.stringMatching(/^status 201 is not declared/),
    ]);
  });

  it('refuses a problem sent as application/json', () => {
    expect(contract.problemsOf(exchange('GET', '/tenants/t-1', 404, { ...PROBLEM, status: 404 }))).toEqual([
      expect.stringMatching(/^content type "application\/json" is not declared/),
    ]);
  });

  it('accepts a 400 with its field errors', () => {
    // Prepare
    const invalid = {
      type: 'https://tenantgate.dev/problems/invalid-request',
      title: 'Invalid request',
      status: 400,
      detail: 'The request body is invalid.',
      errors: [{ path: 'name', message: 'must not be empty' }],
    };

    // Act
    const problems = contract.problemsOf(
      exchange('PATCH', '/tenants/t-1', 400, invalid, { 'content-type': 'application/problem+json; charset=utf-8' }),
    );

    // Assess
    expect(problems).toEqual([]);
  });

  it('requires WWW-Authenticate on a 401 and Retry-After on a 503', () => {
    expect(contract.problemsOf(problemOf(401))).toEqual(['header WWW-Authenticate is missing']);
    expect(contract.problemsOf(problemOf(401, { 'www-authenticate': 'Bearer error="invalid_token"' }))).toEqual([]);
    expect(contract.problemsOf(problemOf(503))).toEqual(['header Retry-After is missing']);
    expect(contract.problemsOf(problemOf(503, { 'retry-after': '1' }))).toEqual([]);
  });

  it('refuses a body on a 204', () => {
    expect(contract.problemsOf(exchange('DELETE', '/tenants/t-1/files/f-1', 204))).toEqual([]);
    expect(contract.problemsOf(exchange('DELETE', '/tenants/t-1/files/f-1', 204, {}))).toEqual([
      expect.stringMatching(/^a body where none/),
    ]);
  });

  it('leaves alone what no operation of the document covers', () => {
    expect(contract.problemsOf(exchange('GET', '/nowhere', 404, { message: 'Not Found' }))).toBeUndefined();
    expect(contract.problemsOf(exchange('OPTIONS', '/tenants/t-1', 204))).toBeUndefined();
    expect(contract.operationFor('GET', '/tenants/t-1/members?limit=2')).toBe('/tenants/{tenantId}/members');
  });

  it('throws, naming the request and the problems, when asserting a response that breaks the document', () => {
    expect(() => contract.assert(exchange('GET', '/tenants/t-1', 200, { ...TENANT, internal: true }))).toThrow(
      /GET \/tenants\/t-1 → 200 breaks the OpenAPI document:\n {2}body must NOT have additional properties/,
    );
  });
});
