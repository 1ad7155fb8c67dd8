import { AdminUserGlobalSignOutCommand, CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { GlobalSignOutEvent } from '../../../../src/lib/cognito/cloudtrail-events';
import { userMembershipKey, userProfileKey } from '../../../../src/lib/db/keys';
import { logger } from '../../../../src/lib/logger';
import { cognitoGlobalSignOut, handler } from '../../../../src/triggers/events/cognito-global-sign-out';
import { lambdaContext } from '../../support/api-gateway';
import { ddbMock, inAuditLogOf, userMembershipItem, userProfileItem, withMockedTableAt } from '../../support/dynamodb';
import { TEST_TABLE_NAME, TEST_USER_POOL_ID } from '../../support/test-env';

const USER = 'user-sub-1';
const EVENT_ID = 'b7d0c1e4-6f0a-4d5e-9a51-2f0c6a1e9b33';
/** When the user signed out at Cognito; the delivery comes three minutes later. */
const SIGNED_OUT_AT = '2025-06-02T09:00:00Z';
const DELIVERED_AT = new Date('2025-06-02T09:03:00.000Z');
const SIGNED_OUT_SECONDS = Date.parse(SIGNED_OUT_AT) / 1000;

const cognitoMock = mockClient(CognitoIdentityProviderClient);

type Detail = GlobalSignOutEvent['detail'];

/** The event as EventBridge delivers CloudTrail's record of a successful GlobalSignOut. */
const signOutEvent = (detail: Partial<Detail> = {}): GlobalSignOutEvent => ({
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': 'AWS API Call via CloudTrail',
  source: 'aws.cognito-idp',
  account: '123456789012',
  time: '2025-06-02T09:00:04Z',
  region: 'eu-west-1',
  resources: [],
  detail: {
    eventVersion: '1.08',
    userIdentity: { type: 'Unknown', principalId: 'Anonymous' },
    eventTime: SIGNED_OUT_AT,
    eventSource: 'cognito-idp.amazonaws.com',
    eventName: 'GlobalSignOut',
    awsRegion: 'eu-west-1',
    sourceIPAddress: '198.51.100.23',
    userAgent: 'Mozilla/5.0 (Macintosh) aws-amplify/6.22.1',
    errorCode: '',
    requestParameters: { accessToken: 'HIDDEN_FOR_SECURITY_REASONS' },
    responseElements: null,
    additionalEventData: { sub: USER, userPoolId: TEST_USER_POOL_ID },
    requestID: 'e2b1a3c4-5d6e-4f70-8a9b-0c1d2e3f4a5b',
    eventID: EVENT_ID,
    readOnly: false,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: '123456789012',
    eventCategory: 'Management',
    ...detail,
  },
});

/** A member of tenant-a, which is also the active tenant. */
const storeMemberOfTenantA = () => {
  ddbMock.on(GetCommand, { Key: userProfileKey(USER) }).resolves({ Item: userProfileItem(USER, 'someone@acme.test', 'tenant-a') });
  ddbMock
    .on(GetCommand, { Key: userMembershipKey('tenant-a', USER) })
    .resolves({ Item: userMembershipItem(USER, 'tenant-a', 'member', '2024-01-01T00:00:00.000Z') });
};

type Item = Record<string, unknown>;
type Write = { Key?: Item; Item?: Item; ConditionExpression?: string; ExpressionAttributeValues?: Record<string, unknown> };

/**
 * The table as far as these transactions go: it keeps what committed and
 * refuses a transaction whose conditions do not hold, as DynamoDB does (all
 * or nothing, the failed items named in CancellationReasons).
 */
const fakeTable = (initial: Item[] = []) => {
  const items = new Map<string, Item>();
  const keyOf = (item: Item) => `${String(item.pk)}|${String(item.sk)}`;
  for (const item of initial) items.set(keyOf(item), item);
  const holds = (write: Write): boolean => {
    const existing = items.get(keyOf(write.Key ?? write.Item ?? {}));
    if (write.ConditionExpression === 'attribute_not_exists(pk)') return !existing;
    if (write.ConditionExpression === 'attribute_not_exists(notBefore) OR notBefore <= :notBefore') {
      return existing?.notBefore === undefined || Number(existing.notBefore) <= Number(write.ExpressionAttributeValues?.[':notBefore']);
    }
    throw new Error(`the fake table does not know the condition ${write.ConditionExpression}`);
  };
  ddbMock.on(TransactWriteCommand).callsFake(async (input: TransactWriteCommandInput) => {
    const writes = (input.TransactItems ?? []).map((t) => (t.Put ?? t.Update) as Write);
    const verdicts = writes.map(holds);
    if (verdicts.includes(false)) {
      throw new TransactionCanceledException({
        message: 'Transaction cancelled',
        $metadata: {},
        CancellationReasons: verdicts.map((ok) => ({ Code: ok ? 'None' : 'ConditionalCheckFailed' })),
      });
    }
    for (const write of writes) {
      if (write.Item) items.set(keyOf(write.Item), write.Item);
      else if (write.Key) items.set(keyOf(write.Key), { ...write.Key, notBefore: write.ExpressionAttributeValues?.[':notBefore'] });
    }
    return {};
  });
  return {
    auditEvents: () => [...items.values()].filter((item) => item.entity === 'audit'),
    notBefore: () => items.get(`USER#${USER}#SESSIONS|ALL`)?.notBefore,
  };
};

describe('cognitoGlobalSignOut', () => {
  withMockedTableAt(DELIVERED_AT);
  beforeEach(() => cognitoMock.reset());

  it("refuses every token issued up to the sign-out's second, marked at the event's time, not the delivery's", async () => {
    // Prepare
    storeMemberOfTenantA();
    ddbMock.on(TransactWriteCommand).resolves({});

    // Act
    await handler(signOutEvent(), lambdaContext());

    // Assess
    const transactions = ddbMock.commandCalls(TransactWriteCommand);
    expect(transactions).toHaveLength(1);
    const [marker, audit, dedupe] = transactions[0]?.args[0].input.TransactItems ?? [];
    expect(marker?.Update).toMatchObject({
      TableName: TEST_TABLE_NAME,
      Key: { pk: `USER#${USER}#SESSIONS`, sk: 'ALL' },
      ConditionExpression: 'attribute_not_exists(notBefore) OR notBefore <= :notBefore',
      ExpressionAttributeValues: { ':notBefore': SIGNED_OUT_SECONDS, ':ttl': SIGNED_OUT_SECONDS + 31 * 24 * 60 * 60 },
    });
    expect(audit?.Put?.Item).toMatchObject({ at: '2025-06-02T09:00:00.000Z' });
    expect(dedupe?.Put).toMatchObject({
      Item: { pk: `USER#${USER}#SESSIONS`, sk: `ENDED_BY#${EVENT_ID}` },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
  });

  it("writes one session.revoked event in the user's active tenant's log, with the caller's address and agent", async () => {
    // Prepare
    storeMemberOfTenantA();
    const table = fakeTable();

    // Act
    await cognitoGlobalSignOut(signOutEvent());

    // Assess
    expect(table.auditEvents()).toEqual([
      expect.objectContaining({
        pk: inAuditLogOf('tenant-a'),
        type: 'session.revoked',
        actorId: USER,
        targetId: USER,
        ip: '198.51.100.23',
        userAgent: 'Mozilla/5.0 (Macintosh) aws-amplify/6.22.1',
        details: { scope: 'all', reason: 'cognito-global-sign-out' },
      }),
    ]);
  });

  it('adds no second audit event when EventBridge delivers the same event again', async () => {
    // Prepare
    storeMemberOfTenantA();
    const table = fakeTable();
    await handler(signOutEvent(), lambdaContext());
    vi.setSystemTime(DELIVERED_AT.getTime() + 60_000);

    // Act
    const redelivered = handler(signOutEvent(), lambdaContext());

    // Assess
    await expect(redelivered).resolves.toBeUndefined();
    expect(table.auditEvents()).toHaveLength(1);
    expect(table.notBefore()).toBe(SIGNED_OUT_SECONDS);
  });

  it('leaves a newer ending in place and still records the sign-out, once', async () => {
    // Prepare: the user also used POST /sessions/revoke {scope: "all"} after signing out at Cognito.
    storeMemberOfTenantA();
    const newer = SIGNED_OUT_SECONDS + 90;
    const table = fakeTable([{ pk: `USER#${USER}#SESSIONS`, sk: 'ALL', notBefore: newer }]);

    // Act
    await cognitoGlobalSignOut(signOutEvent());
    await cognitoGlobalSignOut(signOutEvent());

    // Assess
    expect(table.notBefore()).toBe(newer);
    expect(table.auditEvents()).toHaveLength(1);
  });

  it('never marks a time later than the delivery, whatever time the event claims', async () => {
    // Prepare
    storeMemberOfTenantA();
    ddbMock.on(TransactWriteCommand).resolves({});

    // Act
    await cognitoGlobalSignOut(signOutEvent({ eventTime: '2025-06-02T10:00:00Z' }));

    // Assess
    const [marker] = ddbMock.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(marker?.Update?.ExpressionAttributeValues?.[':notBefore']).toBe(DELIVERED_AT.getTime() / 1000);
  });

  it('does not sign the user out of Cognito again', async () => {
    // Prepare
    storeMemberOfTenantA();
    ddbMock.on(TransactWriteCommand).resolves({});

    // Act
    await handler(signOutEvent(), lambdaContext());

    // Assess
    expect(cognitoMock.commandCalls(AdminUserGlobalSignOutCommand)).toHaveLength(0);
  });

  it('records the sign-out of a user with no tenant in the platform log', async () => {
    // Prepare
    ddbMock.on(GetCommand, { Key: userProfileKey(USER) }).resolves({ Item: userProfileItem(USER, 'someone@acme.test') });
    ddbMock.on(QueryCommand).resolves({ Items: [] });
    const table = fakeTable();

    // Act
    await cognitoGlobalSignOut(signOutEvent());

    // Assess
    expect(table.auditEvents()).toEqual([expect.objectContaining({ pk: inAuditLogOf(undefined), type: 'session.revoked' })]);
  });

  it.each([
    ['a call that failed', signOutEvent({ errorCode: 'NotAuthorizedException', additionalEventData: null }), 'failed-call'],
    ["another pool's user", signOutEvent({ additionalEventData: { sub: USER, userPoolId: 'eu-west-1_OtherPool9' } }), 'another-pool'],
    ['a user we have no profile of', signOutEvent({ additionalEventData: { sub: 'stranger-sub' } }), 'unknown-user'],
  ])('ignores %s with a log line, and writes nothing', async (_case, event, outcome) => {
    // Prepare
    storeMemberOfTenantA();
    ddbMock.on(GetCommand, { Key: userProfileKey('stranger-sub') }).resolves({});
    const logged = vi.spyOn(logger, 'info');

    // Act
    const handling = handler(event, lambdaContext());

    // Assess
    await expect(handling).resolves.toBeUndefined();
    expect(ddbMock.commandCalls(TransactWriteCommand)).toHaveLength(0);
    expect(logged).toHaveBeenCalledWith('Cognito GlobalSignOut event ignored', expect.objectContaining({ eventId: EVENT_ID, outcome }));
    logged.mockRestore();
  });

  it('records an event that names no pool, as long as we know the user', async () => {
    // Prepare
    storeMemberOfTenantA();
    const table = fakeTable();

    // Act
    await cognitoGlobalSignOut(signOutEvent({ additionalEventData: { sub: USER } }));

    // Assess
    expect(table.auditEvents()).toHaveLength(1);
  });

  it('fails, so that Lambda tries again, when the table cannot be written', async () => {
    // Prepare
    storeMemberOfTenantA();
    ddbMock.on(TransactWriteCommand).rejects(new Error('InternalServerError'));

    // Act
    const handling = handler(signOutEvent(), lambdaContext());

    // Assess
    await expect(handling).rejects.toThrow('InternalServerError');
  });

  it('fails on an event that is not a GlobalSignOut reported by CloudTrail', async () => {
    // Prepare
    const forged = { ...signOutEvent(), source: 'tenantgate.forged' };

    // Act
    const handling = handler(forged, lambdaContext());

    // Assess
    await expect(handling).rejects.toThrow('Malformed EventBridge event.');
    expect(ddbMock.commandCalls(GetCommand)).toHaveLength(0);
  });

  it('fails on a successful call that names no user, rather than guess', async () => {
    // Prepare
    const nameless = signOutEvent({ additionalEventData: {} });

    // Act
    const handling = handler(nameless, lambdaContext());

    // Assess
    await expect(handling).rejects.toThrow('A GlobalSignOut event that succeeded names no user.');
    expect(ddbMock.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });
});
