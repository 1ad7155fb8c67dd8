import { AdminUserGlobalSignOutCommand, CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, type QueryCommandInput, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { PostConfirmationEvent } from '../../../../src/lib/cognito/trigger-events';
import { ConflictError } from '../../../../src/lib/errors';
import { handler, postConfirmation } from '../../../../src/triggers/cognito/post-confirmation';
import { lambdaContext } from '../../support/api-gateway';
import {
  ddbMock,
  emailInviteItem,
  inAuditLogOf,
  queriedPartition,
  userMembershipItem,
  userProfileItem,
  withMockedTableAt,
} from '../../support/dynamodb';

const USER = 'user-sub-1';
const cognitoMock = mockClient(CognitoIdentityProviderClient);
const NOW = new Date('2025-06-02T09:00:00.000Z');

const confirmationEvent = (
  triggerSource: PostConfirmationEvent['triggerSource'] = 'PostConfirmation_ConfirmSignUp',
): PostConfirmationEvent => ({
  version: '1',
  region: 'eu-west-1',
  userPoolId: 'eu-west-1_TestPool1',
  userName: USER,
  callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: 'webclient1' },
  triggerSource,
  request: { userAttributes: { sub: USER, email: 'Invitee@Acme.test', email_verified: 'true', 'cognito:user_status': 'CONFIRMED' } },
  response: {},
});

const pendingInvite = emailInviteItem({
  email: 'invitee@acme.test',
  tenantId: 'tenant-a',
  inviteId: 'invite-1',
  role: 'admin',
  expiresAt: '2025-06-05T09:00:00.000Z',
  createdAt: '2025-05-29T09:00:00.000Z',
});

/** Answers each Query by the partition it reads: the user's, or the email's pending invites. */
const storeState = (state: { userItems: () => Record<string, unknown>[]; invites: Record<string, unknown>[] }) => {
  ddbMock.on(QueryCommand).callsFake(async (input: QueryCommandInput) => {
    const pk = queriedPartition(input);
    if (pk === `USER#${USER}`) return { Items: state.userItems() };
    if (pk === 'EMAIL#invitee@acme.test') return { Items: state.invites };
    return { Items: [] };
  });
};

describe('postConfirmation', () => {
  withMockedTableAt(NOW);
  beforeEach(() => cognitoMock.reset());

  it('accepts the invite in one transaction: invite ended, membership and user view created, tenant checked, audited', async () => {
    // Prepare
    storeState({ userItems: () => [], invites: [pendingInvite] });
    ddbMock.on(TransactWriteCommand).resolves({});

    // Act
    await handler(confirmationEvent(), lambdaContext());

    // Assess
    const writes = ddbMock.commandCalls(TransactWriteCommand);
    expect(writes).toHaveLength(1);
    const items = writes[0]?.args[0].input.TransactItems ?? [];
    expect(items).toEqual(
      expect.arrayContaining([
        { ConditionCheck: expect.objectContaining({ Key: { pk: 'TENANT#tenant-a', sk: 'TENANT' } }) },
        {
          Put: expect.objectContaining({
            Item: expect.objectContaining({ pk: 'TENANT#tenant-a', sk: `MEMBER#${USER}`, role: 'admin', email: 'invitee@acme.test' }),
          }),
        },
        {
          Put: expect.objectContaining({ Item: expect.objectContaining({ pk: `USER#${USER}`, sk: 'MEMBERSHIP#tenant-a', role: 'admin' }) }),
        },
        { Update: expect.objectContaining({ Key: { pk: `USER#${USER}`, sk: 'PROFILE' } }) },
        {
          Update: expect.objectContaining({
            Key: { pk: 'TENANT#tenant-a', sk: 'INVITE#invite-1' },
            ExpressionAttributeValues: expect.objectContaining({ ':status': 'accepted' }),
          }),
        },
        { Update: expect.objectContaining({ Key: { pk: 'EMAIL#invitee@acme.test', sk: 'INVITE#tenant-a' } }) },
        { Put: expect.objectContaining({ Item: expect.objectContaining({ pk: inAuditLogOf('tenant-a'), type: 'auth.signup' }) }) },
        { Put: expect.objectContaining({ Item: expect.objectContaining({ pk: inAuditLogOf('tenant-a'), type: 'invite.accepted' }) }) },
      ]),
    );
    const memberPuts = items.filter((i) => String(i.Put?.Item?.sk ?? '').startsWith('MEMBER#'));
    expect(memberPuts).toHaveLength(1);
  });

  it('writes nothing on a retried delivery when the user already has a membership', async () => {
    // Prepare
    storeState({
      userItems: () => [
        userProfileItem(USER, 'invitee@acme.test', 'tenant-a'),
        userMembershipItem(USER, 'tenant-a', 'admin', '2025-06-02T08:59:00.000Z'),
      ],
      invites: [],
    });

    // Act
    const out = await handler(confirmationEvent(), lambdaContext());

    // Assess
    expect(ddbMock.commandCalls(TransactWriteCommand)).toHaveLength(0);
    expect(ddbMock.commandCalls(QueryCommand)).toHaveLength(1);
    expect(out).toEqual(confirmationEvent());
  });

  it('succeeds without a second membership when a concurrent delivery won the race', async () => {
    // Prepare
    let membershipWritten = false;
    storeState({
      userItems: () => (membershipWritten ? [userMembershipItem(USER, 'tenant-a', 'admin', NOW.toISOString())] : []),
      invites: [pendingInvite],
    });
    ddbMock.on(TransactWriteCommand).callsFake(async () => {
      membershipWritten = true;
      throw new TransactionCanceledException({
        message: 'Transaction cancelled',
        $metadata: {},
        CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }],
      });
    });

    // Act
    const confirming = handler(confirmationEvent(), lambdaContext());

    // Assess
    await expect(confirming).resolves.toEqual(confirmationEvent());
    expect(ddbMock.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });

  it('fails the confirmation when no pending invite is left', async () => {
    // Prepare
    storeState({ userItems: () => [], invites: [] });

    // Act
    const confirming = postConfirmation(confirmationEvent());

    // Assess
    await expect(confirming).rejects.toBeInstanceOf(ConflictError);
    expect(ddbMock.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('ends every session of the user after a password reset: Cognito signs them out, then every earlier token is refused', async () => {
    // Prepare
    const order: string[] = [];
    cognitoMock.on(AdminUserGlobalSignOutCommand).callsFake(async () => {
      order.push('cognito');
      return {};
    });
    ddbMock.on(GetCommand).resolves({});
    ddbMock.on(QueryCommand).resolves({ Items: [] });
    ddbMock.on(TransactWriteCommand).callsFake(async () => {
      order.push('marker');
      return {};
    });

    // Act
    const out = await handler(confirmationEvent('PostConfirmation_ConfirmForgotPassword'), lambdaContext());

    // Assess
    expect(out).toEqual(confirmationEvent('PostConfirmation_ConfirmForgotPassword'));
    expect(order).toEqual(['cognito', 'marker']);
    expect(cognitoMock.commandCalls(AdminUserGlobalSignOutCommand)[0]?.args[0].input).toEqual({
      UserPoolId: 'eu-west-1_TestPool1',
      Username: USER,
    });
    const [marker, audit] = ddbMock.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(marker?.Update).toMatchObject({
      Key: { pk: `USER#${USER}#SESSIONS`, sk: 'ALL' },
      ExpressionAttributeValues: expect.objectContaining({ ':notBefore': Math.floor(NOW.getTime() / 1000) }),
    });
    expect(audit?.Put?.Item).toMatchObject({ type: 'session.revoked', actorId: USER, details: { scope: 'all', reason: 'password-reset' } });
  });

  it('fails the reset trigger when Cognito cannot sign the user out, and marks nothing', async () => {
    // Prepare
    cognitoMock.on(AdminUserGlobalSignOutCommand).rejects(new Error('Cognito unavailable'));
    ddbMock.on(GetCommand).resolves({});
    ddbMock.on(QueryCommand).resolves({ Items: [] });

    // Act + Assess
    await expect(handler(confirmationEvent('PostConfirmation_ConfirmForgotPassword'), lambdaContext())).rejects.toThrow();
    expect(ddbMock.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });
});
