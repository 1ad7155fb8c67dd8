import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it, vi } from 'vitest';
import { signInHash } from '../../../../src/lib/cognito/sign-in-key';
import type { PostAuthenticationEvent } from '../../../../src/lib/cognito/trigger-events';
import { userMembershipKey, userProfileKey } from '../../../../src/lib/db/keys';
import { handler, postAuthentication } from '../../../../src/triggers/cognito/post-authentication';
import { lambdaContext } from '../../support/api-gateway';
import { ddbMock, inAuditLogOf, userMembershipItem, userProfileItem, withMockedTableAt } from '../../support/dynamodb';
import { TEST_TABLE_NAME } from '../../support/test-env';

const USER = 'user-sub-1';
const NOW = new Date('2025-06-02T09:00:00.000Z');

const loginEvent = (request: Partial<PostAuthenticationEvent['request']> = {}, clientId = 'webclient1'): PostAuthenticationEvent => ({
  version: '1',
  region: 'eu-west-1',
  userPoolId: 'eu-west-1_TestPool1',
  userName: USER,
  callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId },
  triggerSource: 'PostAuthentication_Authentication',
  request: { userAttributes: { sub: USER, email: 'someone@acme.test', email_verified: 'true' }, newDeviceUsed: true, ...request },
  response: {},
});

type Item = Record<string, unknown>;
type Put = { Item: Item; ConditionExpression?: string; ExpressionAttributeValues?: Record<string, unknown> };

/** A member of tenant-a, which is also the active tenant. */
const storeMemberOfTenantA = () => {
  ddbMock.on(GetCommand, { Key: userProfileKey(USER) }).resolves({ Item: userProfileItem(USER, 'someone@acme.test', 'tenant-a') });
  ddbMock
    .on(GetCommand, { Key: userMembershipKey('tenant-a', USER) })
    .resolves({ Item: userMembershipItem(USER, 'tenant-a', 'member', '2024-01-01T00:00:00.000Z') });
};

const puts = (input: TransactWriteCommandInput): Put[] => (input.TransactItems ?? []).flatMap((t) => (t.Put ? [t.Put as Put] : []));

/**
 * The table as far as these transactions go: it keeps what committed and
 * refuses a transaction whose conditions do not hold, as DynamoDB does
 * (all or nothing, the failed item named in CancellationReasons).
 */
const fakeTable = () => {
  const items = new Map<string, Item>();
  const keyOf = (item: Item) => `${String(item.pk)}|${String(item.sk)}`;
  const holds = (put: Put): boolean => {
    const existing = items.get(keyOf(put.Item));
    if (!existing) return true;
    if (put.ConditionExpression === 'attribute_not_exists(pk) OR dedupeUntil <= :now') {
      return Number(existing.dedupeUntil) <= Number(put.ExpressionAttributeValues?.[':now']);
    }
    if (put.ConditionExpression === 'attribute_not_exists(pk)') return false;
    throw new Error(`the fake table does not know the condition ${put.ConditionExpression}`);
  };
  ddbMock.on(TransactWriteCommand).callsFake(async (input: TransactWriteCommandInput) => {
    const writes = puts(input);
    const verdicts = writes.map(holds);
    if (verdicts.includes(false)) {
      throw new TransactionCanceledException({
        message: 'Transaction cancelled',
        $metadata: {},
        CancellationReasons: verdicts.map((ok) => ({ Code: ok ? 'None' : 'ConditionalCheckFailed' })),
      });
    }
    for (const put of writes) items.set(keyOf(put.Item), put.Item);
    return {};
  });
  return { auditEvents: () => [...items.values()].filter((item) => item.entity === 'audit') };
};

const conflict = () =>
  new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: {},
    CancellationReasons: [{ Code: 'TransactionConflict' }, { Code: 'None' }],
  });

describe('postAuthentication', () => {
  withMockedTableAt(NOW);

  it("writes the auth.login event in the active tenant's audit log, in one transaction with its sign-in marker", async () => {
    // Prepare
    storeMemberOfTenantA();
    ddbMock.on(TransactWriteCommand).resolves({});

    // Act
    const out = await postAuthentication(loginEvent());

    // Assess
    const transactions = ddbMock.commandCalls(TransactWriteCommand);
    expect(transactions).toHaveLength(1);
    const [marker, event] = transactions[0]?.args[0].input.TransactItems ?? [];
    expect(marker?.Put).toEqual({
      TableName: TEST_TABLE_NAME,
      Item: {
        pk: `USER#${USER}#LOGINS`,
        sk: `LOGIN#${signInHash(loginEvent())}`,
        entity: 'auditMarker',
        dedupeUntil: NOW.getTime() + 10_000,
        ttl: NOW.getTime() / 1000 + 10,
      },
      ConditionExpression: 'attribute_not_exists(pk) OR dedupeUntil <= :now',
      ExpressionAttributeValues: { ':now': NOW.getTime() },
    });
    expect(event?.Put).toMatchObject({
      TableName: TEST_TABLE_NAME,
      ConditionExpression: 'attribute_not_exists(pk)',
      Item: {
        pk: inAuditLogOf('tenant-a'),
        sk: expect.stringMatching(/^2025-06-02T09:00:00\.000Z#/),
        entity: 'audit',
        type: 'auth.login',
        actorId: USER,
        targetId: USER,
        at: NOW.toISOString(),
        details: { clientId: 'webclient1', newDevice: true },
      },
    });
    expect(ddbMock.commandCalls(PutCommand)).toHaveLength(0);
    expect(out).toEqual(loginEvent());
  });

  it("reads the tenant from the profile and that one membership, not the user's whole partition", async () => {
    // Prepare
    storeMemberOfTenantA();
    ddbMock.on(TransactWriteCommand).resolves({});

    // Act
    await postAuthentication(loginEvent());

    // Assess
    const keys = ddbMock.commandCalls(GetCommand).map((call) => call.args[0].input.Key);
    expect(keys).toEqual([userProfileKey(USER), userMembershipKey('tenant-a', USER)]);
    expect(ddbMock.commandCalls(QueryCommand)).toHaveLength(0);
  });

  it('writes one auth.login when Cognito delivers the same sign-in again', async () => {
    // Prepare
    storeMemberOfTenantA();
    const table = fakeTable();
    await postAuthentication(loginEvent());
    vi.setSystemTime(NOW.getTime() + 5_500);

    // Act: Cognito's retry after its 5-second wait
    const retried = await postAuthentication(loginEvent());

    // Assess
    expect(retried).toEqual(loginEvent());
    expect(table.auditEvents()).toHaveLength(1);
    expect(table.auditEvents()[0]).toMatchObject({ type: 'auth.login', at: NOW.toISOString() });
  });

  it('writes one auth.login when the retry runs beside the first delivery', async () => {
    // Prepare
    storeMemberOfTenantA();
    const table = fakeTable();

    // Act
    const deliveries = await Promise.all([postAuthentication(loginEvent()), postAuthentication(loginEvent())]);

    // Assess
    expect(deliveries).toEqual([loginEvent(), loginEvent()]);
    expect(table.auditEvents()).toHaveLength(1);
  });

  it('audits the same sign-in again once the window has passed', async () => {
    // Prepare
    storeMemberOfTenantA();
    const table = fakeTable();
    await postAuthentication(loginEvent());
    vi.setSystemTime(NOW.getTime() + 9_999);
    await postAuthentication(loginEvent());

    // Act
    vi.setSystemTime(NOW.getTime() + 10_000);
    await postAuthentication(loginEvent());

    // Assess
    expect(table.auditEvents()).toHaveLength(2);
  });

  it('tells sign-ins apart by app client, new-device flag and client metadata', async () => {
    // Prepare
    storeMemberOfTenantA();
    const table = fakeTable();
    const distinct = [
      loginEvent(),
      loginEvent({}, 'mobileclient2'),
      loginEvent({ newDeviceUsed: false }),
      loginEvent({ clientMetadata: { signInId: 'one' } }),
      loginEvent({ clientMetadata: { signInId: 'two' } }),
    ];

    // Act
    for (const event of distinct) await postAuthentication(event);

    // Assess
    expect(table.auditEvents()).toHaveLength(distinct.length);
  });

  it('keys a sign-in by its client metadata, whatever the order of its keys', () => {
    // Prepare
    const one = loginEvent({ clientMetadata: { a: '1', b: '2' } });
    const other = loginEvent({ clientMetadata: { b: '2', a: '1' } });

    // Act
    const hashes = [signInHash(one), signInHash(other)];

    // Assess
    expect(hashes[0]).toBe(hashes[1]);
  });

  it('tries again after a TransactionConflict and finds the marker the racing delivery wrote', async () => {
    // Prepare
    storeMemberOfTenantA();
    ddbMock
      .on(TransactWriteCommand)
      .rejectsOnce(conflict())
      .rejectsOnce(
        new TransactionCanceledException({
          message: 'Transaction cancelled',
          $metadata: {},
          CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }],
        }),
      );

    // Act
    const out = await handler(loginEvent(), lambdaContext());

    // Assess
    expect(out).toEqual(loginEvent());
    expect(ddbMock.commandCalls(TransactWriteCommand)).toHaveLength(2);
  });

  it('rejects, failing the sign-in, when conflicts do not end', async () => {
    // Prepare
    storeMemberOfTenantA();
    ddbMock.on(TransactWriteCommand).rejects(conflict());

    // Act
    const authenticating = handler(loginEvent(), lambdaContext());

    // Assess
    await expect(authenticating).rejects.toThrow('The audit event was refused (conflict).');
    expect(ddbMock.commandCalls(TransactWriteCommand)).toHaveLength(3);
  });

  it("audits a user with no tenant in the platform's log", async () => {
    // Prepare
    ddbMock.on(GetCommand).resolves({});
    ddbMock.on(QueryCommand).resolves({ Items: [] });
    ddbMock.on(TransactWriteCommand).resolves({});

    // Act
    await postAuthentication(loginEvent());

    // Assess
    const [, event] = ddbMock.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(event?.Put?.Item).toMatchObject({ pk: inAuditLogOf(undefined), type: 'auth.login' });
  });

  it('rejects, failing the sign-in, when the audit write fails', async () => {
    // Prepare
    storeMemberOfTenantA();
    ddbMock.on(TransactWriteCommand).rejects(new Error('InternalServerError'));

    // Act
    const authenticating = handler(loginEvent(), lambdaContext());

    // Assess
    await expect(authenticating).rejects.toThrow('InternalServerError');
  });

  it('rejects, failing the sign-in, when the user cannot be read', async () => {
    // Prepare
    ddbMock.on(GetCommand).rejects(new Error('InternalServerError'));

    // Act
    const authenticating = handler(loginEvent(), lambdaContext());

    // Assess
    await expect(authenticating).rejects.toThrow('InternalServerError');
    expect(ddbMock.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('hands the event back through the wrapped handler', async () => {
    // Prepare
    storeMemberOfTenantA();
    ddbMock.on(TransactWriteCommand).resolves({});

    // Act
    const out = await handler(loginEvent(), lambdaContext());

    // Assess
    expect(out).toEqual(loginEvent());
  });
});
