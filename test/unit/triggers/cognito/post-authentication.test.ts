import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import type { PostAuthenticationEvent } from '../../../../src/lib/cognito/trigger-events';
import { handler, postAuthentication } from '../../../../src/triggers/cognito/post-authentication';
import { lambdaContext } from '../../support/api-gateway';
import { ddbMock, userMembershipItem, userProfileItem, withMockedTableAt } from '../../support/dynamodb';
import { TEST_TABLE_NAME } from '../../support/test-env';

const USER = 'user-sub-1';
const NOW = new Date('2025-06-02T09:00:00.000Z');

const loginEvent = (): PostAuthenticationEvent => ({
  version: '1',
  region: 'eu-west-1',
  userPoolId: 'eu-west-1_TestPool1',
  userName: USER,
  callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: 'webclient1' },
  triggerSource: 'PostAuthentication_Authentication',
  request: { userAttributes: { sub: USER, email: 'someone@acme.test', email_verified: 'true' }, newDeviceUsed: true },
  response: {},
});

describe('postAuthentication', () => {
  withMockedTableAt(NOW);

  it("writes exactly one auth.login audit event, in the active tenant's audit partition", async () => {
    // Prepare
    ddbMock.on(QueryCommand).resolves({
      Items: [
        userProfileItem(USER, 'someone@acme.test', 'tenant-a'),
        userMembershipItem(USER, 'tenant-a', 'member', '2024-01-01T00:00:00.000Z'),
      ],
    });
    ddbMock.on(PutCommand).resolves({});

    // Act
    const out = await postAuthentication(loginEvent());

    // Assess
    const puts = ddbMock.commandCalls(PutCommand);
    expect(puts).toHaveLength(1);
    expect(puts[0]?.args[0].input).toMatchObject({
      TableName: TEST_TABLE_NAME,
      ConditionExpression: 'attribute_not_exists(pk)',
      Item: {
        pk: 'TENANT#tenant-a#AUDIT',
        sk: expect.stringMatching(/^2025-06-02T09:00:00\.000Z#/),
        entity: 'audit',
        type: 'auth.login',
        actorId: USER,
        targetId: USER,
        at: NOW.toISOString(),
        details: { clientId: 'webclient1', newDevice: true },
      },
    });
    expect(out).toEqual(loginEvent());
  });

  it('audits a user with no tenant in the platform partition', async () => {
    // Prepare
    ddbMock.on(QueryCommand).resolves({ Items: [] });
    ddbMock.on(PutCommand).resolves({});

    // Act
    await postAuthentication(loginEvent());

    // Assess
    const puts = ddbMock.commandCalls(PutCommand);
    expect(puts).toHaveLength(1);
    expect(puts[0]?.args[0].input.Item).toMatchObject({ pk: 'PLATFORM#AUDIT', type: 'auth.login' });
  });

  it('rejects, failing the sign-in, when the audit write fails', async () => {
    // Prepare
    ddbMock.on(QueryCommand).resolves({ Items: [] });
    ddbMock.on(PutCommand).rejects(new Error('InternalServerError'));

    // Act
    const authenticating = handler(loginEvent(), lambdaContext());

    // Assess
    await expect(authenticating).rejects.toThrow('InternalServerError');
  });

  it('rejects, failing the sign-in, when the user record cannot be read', async () => {
    // Prepare
    ddbMock.on(QueryCommand).rejects(new Error('InternalServerError'));

    // Act
    const authenticating = handler(loginEvent(), lambdaContext());

    // Assess
    await expect(authenticating).rejects.toThrow('InternalServerError');
    expect(ddbMock.commandCalls(PutCommand)).toHaveLength(0);
  });

  it('hands the event back through the wrapped handler', async () => {
    // Prepare
    ddbMock.on(QueryCommand).resolves({ Items: [] });
    ddbMock.on(PutCommand).resolves({});

    // Act
    const out = await handler(loginEvent(), lambdaContext());

    // Assess
    expect(out).toEqual(loginEvent());
  });
});
