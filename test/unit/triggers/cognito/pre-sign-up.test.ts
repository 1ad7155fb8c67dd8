import { GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import type { PreSignUpEvent } from '../../../../src/lib/cognito/trigger-events';
import { domainClaimKey, ssoConfigKey } from '../../../../src/lib/db/keys';
import { hashInviteCode } from '../../../../src/lib/invites/invite';
import { SSO_REFUSED_MESSAGE, SSO_REQUIRED_MESSAGE } from '../../../../src/lib/sso/federation-policy';
import { tenantProviderName } from '../../../../src/lib/sso/provider-name';
import { handler, NOT_INVITED_MESSAGE, preSignUp } from '../../../../src/triggers/cognito/pre-sign-up';
import { lambdaContext } from '../../support/api-gateway';
import { ddbMock, emailInviteItem, queriedPartition, withMockedTableAt } from '../../support/dynamodb';

const NOW = new Date('2025-06-02T09:00:00.000Z');
const SOURCES = ['PreSignUp_SignUp', 'PreSignUp_AdminCreateUser', 'PreSignUp_ExternalProvider'] as const;

const CODE = 'vJ3cK8q0pZ-mX1yR7tW4uE6iO9aS2dF5gH8jL0zX_bN';

const signUpEvent = (
  triggerSource: PreSignUpEvent['triggerSource'],
  email: string | null = 'Invitee@Acme.TEST',
  /** null: none sent. */
  validationData: Record<string, string> | null = triggerSource === 'PreSignUp_SignUp' ? { invite_code: CODE } : null,
): PreSignUpEvent => ({
  version: '1',
  region: 'eu-west-1',
  userPoolId: 'eu-west-1_TestPool1',
  userName: 'c0ffee00-0000-4000-8000-000000000001',
  callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: 'webclient1' },
  triggerSource,
  request: { userAttributes: email === null ? {} : { email }, ...(validationData ? { validationData } : {}) },
  response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
});

const pendingInvite = (expiresAt: string, status = 'pending', code = CODE) => ({
  ...emailInviteItem({ email: 'invitee@acme.test', tenantId: 'tenant-a', role: 'member', status, expiresAt }),
  codeHash: hashInviteCode(code),
});

describe('preSignUp', () => {
  withMockedTableAt(NOW);
  // No domain is verified by a tenant unless a test says so (the SSO enforcement read).
  beforeEach(() => {
    ddbMock.on(GetCommand).resolves({});
  });

  describe('with SSO', () => {
    const enforcedBy = (tenantId: string) => {
      ddbMock.on(GetCommand, { Key: domainClaimKey('acme.test') }).resolves({ Item: { tenantId } });
      ddbMock.on(GetCommand, { Key: ssoConfigKey(tenantId) }).resolves({
        Item: { tenantId, providerName: tenantProviderName(tenantId), type: 'oidc', defaultRole: 'member', enforce: true },
      });
    };

    it.each(['PreSignUp_SignUp', 'PreSignUp_ExternalProvider'] as const)(
      "refuses %s, even with an invite, where a tenant enforces SSO for the email's domain",
      async (source) => {
        ddbMock.on(QueryCommand).resolves({ Items: [pendingInvite('2025-06-09T09:00:00.000Z')] });
        enforcedBy('tenant-a');

        await expect(handler(signUpEvent(source), lambdaContext())).rejects.toThrow(SSO_REQUIRED_MESSAGE);
      },
    );

    it("lets an operator's AdminCreateUser through enforcement", async () => {
      ddbMock.on(QueryCommand).resolves({ Items: [pendingInvite('2025-06-09T09:00:00.000Z')] });
      enforcedBy('tenant-a');

      expect(await preSignUp(signUpEvent('PreSignUp_AdminCreateUser'))).toEqual(signUpEvent('PreSignUp_AdminCreateUser'));
    });

    it('refuses a pool-level provider (Google, …) that calls the invited email unverified', async () => {
      ddbMock.on(QueryCommand).resolves({ Items: [pendingInvite('2025-06-09T09:00:00.000Z')] });
      const event = signUpEvent('PreSignUp_ExternalProvider');
      event.userName = 'google_1234';
      event.request.userAttributes.email_verified = 'false';

      await expect(preSignUp(event)).rejects.toThrow(NOT_INVITED_MESSAGE);
    });

    it('refuses a first sign-in through a tenant provider no tenant owns (deleted), without reading invites', async () => {
      const event = signUpEvent('PreSignUp_ExternalProvider');
      event.userName = `${tenantProviderName('tenant-gone')}_subject-1`;
      event.request.userAttributes.email_verified = 'true';

      await expect(preSignUp(event)).rejects.toThrow(SSO_REFUSED_MESSAGE);
      expect(ddbMock.commandCalls(QueryCommand)).toHaveLength(0);
      expect(ddbMock.commandCalls(TransactWriteCommand)).toHaveLength(0);
    });
  });

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

  it.each([
    ['no invite code', null],
    ['an empty invite code', { invite_code: '' }],
    ['a wrong invite code', { invite_code: `${CODE.slice(0, -1)}A` }],
    ["another invite's code", { invite_code: 'another-invites-code-aaaaaaaaaaaaaaaaaaaaaaaaaa' }],
  ])('refuses a self-service SignUp of an invited email with %s', async (_case, validationData) => {
    // Prepare
    ddbMock.on(QueryCommand).resolves({ Items: [pendingInvite('2025-06-09T09:00:00.000Z')] });

    // Act
    const signingUp = handler(signUpEvent('PreSignUp_SignUp', 'Invitee@Acme.TEST', validationData), lambdaContext());

    // Assess: the same message as for an unknown email, so the code's absence tells nothing
    await expect(signingUp).rejects.toThrow(NOT_INVITED_MESSAGE);
  });

  it('refuses the code of an invite that is no longer pending, even if another invite of the email is', async () => {
    // Prepare: the code belongs to a revoked invite; a pending one (from another tenant) has its own code
    ddbMock.on(QueryCommand).resolves({
      Items: [
        { ...pendingInvite('2025-06-09T09:00:00.000Z', 'revoked'), tenantId: 'tenant-a' },
        { ...pendingInvite('2025-06-09T09:00:00.000Z', 'pending', 'the-other-tenants-code-bbbbbbbbbbbbbbbbbbbbbbb'), tenantId: 'tenant-b' },
      ],
    });

    // Act + Assess
    await expect(handler(signUpEvent('PreSignUp_SignUp'), lambdaContext())).rejects.toThrow(NOT_INVITED_MESSAGE);
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
