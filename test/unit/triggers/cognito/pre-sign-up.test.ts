import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import type { PreSignUpEvent } from '../../../../src/lib/cognito/trigger-events';
import { handler, NOT_INVITED_MESSAGE, preSignUp } from '../../../../src/triggers/cognito/pre-sign-up';
import { lambdaContext } from '../../support/api-gateway';
import { ddbMock, emailInviteItem, queriedPartition, withMockedTableAt } from '../../support/dynamodb';

const NOW = new Date('2025-06-02T09:00:00.000Z');
const SOURCES = ['PreSignUp_SignUp', 'PreSignUp_AdminCreateUser', 'PreSignUp_ExternalProvider'] as const;

const signUpEvent = (triggerSource: PreSignUpEvent['triggerSource'], email: string | null = 'Invitee@Acme.TEST'): PreSignUpEvent => ({
  version: '1',
  region: 'eu-west-1',
  userPoolId: 'eu-west-1_TestPool1',
  userName: 'c0ffee00-0000-4000-8000-000000000001',
  callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: 'webclient1' },
  triggerSource,
  request: { userAttributes: email === null ? {} : { email } },
  response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
});

const pendingInvite = (expiresAt: string, status = 'pending') =>
  emailInviteItem({ email: 'invitee@acme.test', tenantId: 'tenant-a', role: 'member', status, expiresAt });

describe('preSignUp', () => {
  withMockedTableAt(NOW);

  it.each(SOURCES)('refuses %s without a pending invite, saying sign-up is by invitation', async (source) => {
    // Prepare
    ddbMock.on(QueryCommand).resolves({ Items: [] });

    // Act
    const signingUp = handler(signUpEvent(source), lambdaContext());

    // Assess
    await expect(signingUp).rejects.toThrow(NOT_INVITED_MESSAGE);
    expect(NOT_INVITED_MESSAGE).toMatch(/invitation/);
  });

  it.each(SOURCES)('refuses %s without an email, without reading', async (source) => {
    // Act
    const signingUp = handler(signUpEvent(source, null), lambdaContext());

    // Assess
    await expect(signingUp).rejects.toThrow(/invitation/);
    expect(ddbMock.calls()).toHaveLength(0);
  });

  it.each(SOURCES)('accepts %s with a pending, unexpired invite and hands the event back unchanged', async (source) => {
    // Prepare
    ddbMock.on(QueryCommand).resolves({ Items: [pendingInvite('2025-06-09T09:00:00.000Z')] });
    const event = signUpEvent(source);

    // Act
    const out = await handler(event, lambdaContext());

    // Assess
    expect(out).toEqual(signUpEvent(source));
  });

  it('looks the invite up by the normalized email, strongly consistent', async () => {
    // Prepare
    ddbMock.on(QueryCommand).resolves({ Items: [pendingInvite('2025-06-09T09:00:00.000Z')] });

    // Act
    await preSignUp(signUpEvent('PreSignUp_SignUp', '  Invitee@Acme.TEST '));

    // Assess
    const [query] = ddbMock.commandCalls(QueryCommand);
    expect(query && queriedPartition(query.args[0].input)).toBe('EMAIL#invitee@acme.test');
    expect(query?.args[0].input.ConsistentRead).toBe(true);
  });

  it('refuses when the only invite has expired', async () => {
    // Prepare
    ddbMock.on(QueryCommand).resolves({ Items: [pendingInvite('2025-06-02T08:59:59.999Z')] });

    // Act
    const signingUp = preSignUp(signUpEvent('PreSignUp_SignUp'));

    // Assess
    await expect(signingUp).rejects.toThrow(NOT_INVITED_MESSAGE);
  });

  it.each(['accepted', 'revoked'])('refuses when the only invite was %s', async (status) => {
    // Prepare
    ddbMock.on(QueryCommand).resolves({ Items: [pendingInvite('2025-06-09T09:00:00.000Z', status)] });

    // Act
    const signingUp = preSignUp(signUpEvent('PreSignUp_SignUp'));

    // Assess
    await expect(signingUp).rejects.toThrow(NOT_INVITED_MESSAGE);
  });

  it('refuses when the invite lookup fails', async () => {
    // Prepare
    ddbMock.on(QueryCommand).rejects(new Error('InternalServerError'));

    // Act
    const signingUp = handler(signUpEvent('PreSignUp_SignUp'), lambdaContext());

    // Assess
    await expect(signingUp).rejects.toThrow();
  });
});
