import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type AuditEvent, auditItem, toAuditEvent } from '../../../../src/lib/audit/audit-event';
import { type AuditQuery, listAuditEvents } from '../../../../src/lib/audit/audit-query';
import { AUDIT_SHARDS, auditPartitions } from '../../../../src/lib/db/keys';
import { ValidationError } from '../../../../src/lib/errors';
import { ddbMock } from '../../support/dynamodb';

/**
 * The log of a tenant lives in AUDIT_SHARDS partitions plus the one it had
 * before sharding; GET /tenants/{id}/audit must still read it as one list:
 * exact, newest first, paged with a cursor bound to the tenant and the window.
 * DynamoDB is a small in-memory table that answers Query as DynamoDB does
 * (inclusive BETWEEN, descending, Limit, a LastEvaluatedKey whenever it stops
 * early, and a short page every few items standing in for the 1 MB limit).
 */

type Row = Record<string, unknown> & { pk: string; sk: string };

const A = 'tenant-a';
const B = 'tenant-b';
const DAY = Date.parse('2025-06-02T00:00:00.000Z');
const SHORT_PAGE = 7;
const secretsMock = mockClient(SecretsManagerClient);

const byNewest = (x: Row, y: Row) => (x.sk < y.sk ? 1 : x.sk > y.sk ? -1 : 0);

/** Events at random times over two days, some in the same millisecond; a few of them in the pre-sharding partition. */
const eventsOf = (tenantId: string, count: number): Row[] =>
  Array.from({ length: count }, (_, i) => {
    const at = new Date(DAY + (i % 10 === 0 ? 3_600_000 : Math.floor(Math.random() * 2 * 86_400_000)));
    // Fixed event ids, so the shards they land on are too: every shard holds some (asserted below).
    const item = auditItem(tenantId, { type: 'auth.login', actorId: `user-${i}` }, at, 365, `${tenantId}-event-${i}`) as Row;
    return i % 9 === 0 ? { ...item, pk: `TENANT#${tenantId}#AUDIT` } : item;
  });

let table: Row[] = [];

const answerQueries = () =>
  ddbMock.on(QueryCommand).callsFake(async (input: QueryCommandInput) => {
    const values = input.ExpressionAttributeValues ?? {};
    const start = input.ExclusiveStartKey?.sk as string | undefined;
    const matching = table
      .filter((r) => r.pk === values[':pk'] && r.sk >= String(values[':from']) && r.sk <= String(values[':to']))
      .sort(byNewest)
      .filter((r) => start === undefined || r.sk < start);
    const cap = Math.min(input.Limit ?? Number.POSITIVE_INFINITY, SHORT_PAGE);
    const page = matching.slice(0, cap);
    // Like DynamoDB, a Query that stops at its limit gives a LastEvaluatedKey even when nothing is left.
    const stopped = page.length === cap;
    return { Items: page, ...(stopped ? { LastEvaluatedKey: { pk: page.at(-1)?.pk, sk: page.at(-1)?.sk } } : {}) };
  });

/** Every page of the list, following nextCursor to the end. */
const readAll = async (tenantId: string, query: Omit<AuditQuery, 'cursor'>) => {
  const pages: AuditEvent[][] = [];
  let cursor: string | undefined;
  do {
    const page = await listAuditEvents(tenantId, { ...query, ...(cursor ? { cursor } : {}) });
    pages.push(page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return pages;
};

const expected = (tenantId: string, from = '0000', to = '9999') =>
  table
    .filter((r) => r.pk.startsWith(`TENANT#${tenantId}#AUDIT`) && r.sk >= from && r.sk <= to)
    .sort(byNewest)
    .map(toAuditEvent);

describe('listAuditEvents over a sharded log', () => {
  beforeAll(() => {
    secretsMock.on(GetSecretValueCommand).resolves({ SecretString: 'unit-test-cursor-secret-0123456789abcdef' });
  });
  afterAll(() => secretsMock.restore());

  beforeEach(() => {
    ddbMock.reset();
    table = [...eventsOf(A, 250), ...eventsOf(B, 50)];
    answerQueries();
  });

  it.each([1, 7, 25, 100])('pages through every shard and the pre-sharding partition, newest first, exactly (limit %i)', async (limit) => {
    // Act
    const pages = await readAll(A, { limit });

    // Assess: every event of A once, in order; every page full but the last
    expect(pages.flat()).toEqual(expected(A));
    expect(pages.slice(0, -1).every((p) => p.length === limit)).toBe(true);
    expect(pages.at(-1)?.length).toBeGreaterThan(0);
    expect(new Set(table.filter((r) => r.pk.startsWith(`TENANT#${A}`)).map((r) => r.pk)).size).toBe(AUDIT_SHARDS + 1);
  });

  it('keeps to ?from= and ?to= (inclusive), across pages', async () => {
    // Prepare
    const from = '2025-06-02T01:00:00.000Z';
    const to = '2025-06-03T02:00:00.000Z';

    // Act
    const pages = await readAll(A, { limit: 10, from, to });

    // Assess
    expect(pages.flat()).toEqual(expected(A, from, `${to}#\uffff`));
    expect(pages.flat().some((e) => e.at === '2025-06-02T01:00:00.000Z')).toBe(true);
  });

  it('asks each partition of the log once for a page, and no partition of another log', async () => {
    // Act
    await listAuditEvents(A, { limit: 5 });

    // Assess
    const asked = ddbMock.commandCalls(QueryCommand).map((c) => c.args[0].input.ExpressionAttributeValues?.[':pk']);
    expect([...asked].sort()).toEqual([...auditPartitions(A)].sort());
  });

  it("refuses another tenant's cursor, another window's, and an edited one, with 400", async () => {
    // Prepare
    const { nextCursor } = await listAuditEvents(A, { limit: 5 });
    const cursor = nextCursor ?? '';
    const edited = `${cursor.slice(0, -2)}${cursor.endsWith('A') ? 'B' : 'A'}A`;

    // Act
    const attempts = [
      listAuditEvents(B, { limit: 5, cursor }),
      listAuditEvents(A, { limit: 5, cursor, from: '2025-06-02T00:00:00.000Z' }),
      listAuditEvents(A, { limit: 5, cursor: edited }),
    ];

    // Assess
    for (const attempt of attempts) await expect(attempt).rejects.toBeInstanceOf(ValidationError);
  });

  it('answers an empty page with no cursor for a log with nothing in the window', async () => {
    // Act
    const page = await listAuditEvents(A, { limit: 25, from: '2030-01-01T00:00:00.000Z' });

    // Assess
    expect(page).toEqual({ items: [], nextCursor: null });
  });
});
