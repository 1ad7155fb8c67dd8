import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import type { PreTokenGenerationV2Event } from '../../../../src/lib/cognito/trigger-events';
import { domainClaimKey, identityProviderKey, ssoConfigKey, userMembershipKey, userProfileKey } from '../../../../src/lib/db/keys';
import { SSO_REFUSED_MESSAGE, SSO_REQUIRED_MESSAGE } from '../../../../src/lib/sso/federation-policy';
import { tenantProviderName } from '../../../../src/lib/sso/provider-name';
import { handler, preTokenGeneration } from '../../../../src/triggers/cognito/pre-token-generation';
import { lambdaContext } from '../../support/api-gateway';
import { ddbMock, userMembershipItem, userProfileItem } from '../../support/dynamodb';
import { TEST_TABLE_NAME } from '../../support/test-env';

const USER = 'user-sub-1';

const TRIGGER_SOURCES = [
  'TokenGeneration_Authentication',
  'TokenGeneration_RefreshTokens',
  'TokenGeneration_NewPasswordChallenge',
  'TokenGeneration_HostedAuth',
  'TokenGeneration_AuthenticateDevice',
] as const;

const tokenEvent = (
  triggerSource: PreTokenGenerationV2Event['triggerSource'] = 'TokenGeneration_Authentication',
): PreTokenGenerationV2Event => ({
  version: '2',
  region: 'eu-west-1',
  userPoolId: 'eu-west-1_TestPool1',
  userName: USER,
  callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: 'webclient1' },
  triggerSource,
  request: {
    userAttributes: { sub: USER, email: 'someone@acme.test', email_verified: 'true' },
    groupConfiguration: { groupsToOverride: [], iamRolesToOverride: [] },
    scopes: ['aws.cognito.signin.user.admin'],
  },
  response: { claimsAndScopeOverrideDetails: null },
});

type Item = Record<string, unknown>;

/**
 * The user's items as GetItem finds them by key; the fallback Query answers
 * `pages` (a user's memberships, one page after another).
 */
const storeUser = ({ profile, memberships = [], pages }: { profile?: Item; memberships?: Item[]; pages?: Item[][] }) => {
  ddbMock.on(GetCommand).resolves({});
  if (profile) ddbMock.on(GetCommand, { Key: userProfileKey(USER) }).resolves({ Item: profile });
  for (const m of memberships) ddbMock.on(GetCommand, { Key: { pk: m.pk, sk: m.sk } }).resolves({ Item: m });
  const answers = pages ?? [memberships];
  const query = ddbMock.on(QueryCommand);
  answers.forEach((items, i) => {
    const last = i === answers.length - 1;
    query.resolvesOnce({ Items: items, ...(last ? {} : { LastEvaluatedKey: { pk: `USER#${USER}`, sk: `MEMBERSHIP#page-${i}` } }) });
  });
};

const claimsOf = (tenantId: string, role: string) => {
  const claims = { claimsToAddOrOverride: { tenant_id: tenantId, tenant_role: role } };
  return { claimsAndScopeOverrideDetails: { accessTokenGeneration: claims, idTokenGeneration: claims } };
};

describe('preTokenGeneration', () => {
  beforeEach(() => {
    ddbMock.reset();
  });

  it.each(TRIGGER_SOURCES)('puts tenant_id and tenant_role into both the access and the ID token for %s', async (source) => {
    // Prepare
    storeUser({
      profile: userProfileItem(USER, 'someone@acme.test', 'tenant-a'),
      memberships: [userMembershipItem(USER, 'tenant-a', 'admin', '2024-02-01T00:00:00.000Z')],
    });

    // Act
    const out = await preTokenGeneration(tokenEvent(source));

    // Assess
    expect(out.response).toEqual(claimsOf('tenant-a', 'admin'));
  });

  it("reads the email domain's claim (SSO enforcement), the profile and the active membership, three strongly consistent GetItems, and never the user's partition", async () => {
    // Prepare
    storeUser({
      profile: userProfileItem(USER, 'someone@acme.test', 'tenant-a'),
      memberships: [
        userMembershipItem(USER, 'tenant-a', 'admin', '2024-02-01T00:00:00.000Z'),
        userMembershipItem(USER, 'tenant-b', 'owner', '2023-02-01T00:00:00.000Z'),
      ],
    });

    // Act
    await preTokenGeneration(tokenEvent());

    // Assess
    const gets = ddbMock.commandCalls(GetCommand).map((call) => call.args[0].input);
    expect(gets).toEqual([
      { TableName: TEST_TABLE_NAME, Key: domainClaimKey('acme.test'), ConsistentRead: true },
      { TableName: TEST_TABLE_NAME, Key: userProfileKey(USER), ConsistentRead: true },
      { TableName: TEST_TABLE_NAME, Key: userMembershipKey('tenant-a', USER), ConsistentRead: true },
    ]);
    expect(ddbMock.commandCalls(QueryCommand)).toHaveLength(0);
  });

  it('takes the active tenant, not the oldest membership', async () => {
    // Prepare
    storeUser({
      profile: userProfileItem(USER, 'someone@acme.test', 'tenant-b'),
      memberships: [
        userMembershipItem(USER, 'tenant-a', 'owner', '2023-01-01T00:00:00.000Z'),
        userMembershipItem(USER, 'tenant-b', 'viewer', '2024-06-01T00:00:00.000Z'),
      ],
    });

    // Act
    const out = await preTokenGeneration(tokenEvent());

    // Assess
    expect(out.response).toEqual(claimsOf('tenant-b', 'viewer'));
  });

  it('suppresses the tenant claims, and adds none, for a user with no membership', async () => {
    // Prepare
    storeUser({ profile: userProfileItem(USER, 'someone@acme.test') });

    // Act
    const out = await preTokenGeneration(tokenEvent('TokenGeneration_RefreshTokens'));

    // Assess
    const suppressed = { claimsToSuppress: ['tenant_id', 'tenant_role'] };
    expect(out.response).toEqual({ claimsAndScopeOverrideDetails: { accessTokenGeneration: suppressed, idTokenGeneration: suppressed } });
  });

  it("falls back to the oldest remaining membership when the active tenant's membership is gone", async () => {
    // Prepare
    storeUser({
      profile: userProfileItem(USER, 'someone@acme.test', 'tenant-gone'),
      memberships: [
        userMembershipItem(USER, 'tenant-newer', 'owner', '2024-05-01T00:00:00.000Z'),
        userMembershipItem(USER, 'tenant-older', 'member', '2024-01-15T00:00:00.000Z'),
      ],
    });

    // Act
    const out = await preTokenGeneration(tokenEvent());

    // Assess
    expect(out.response).toEqual(claimsOf('tenant-older', 'member'));
    const gets = ddbMock.commandCalls(GetCommand).map((call) => call.args[0].input.Key);
    expect(gets).toEqual([domainClaimKey('acme.test'), userProfileKey(USER), userMembershipKey('tenant-gone', USER)]);
    const [query] = ddbMock.commandCalls(QueryCommand);
    expect(query?.args[0].input).toMatchObject({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
      ExpressionAttributeValues: { ':pk': `USER#${USER}`, ':sk': 'MEMBERSHIP#' },
      ConsistentRead: true,
      Limit: expect.any(Number),
    });
  });

  it('takes the oldest membership from any page of the fallback', async () => {
    // Prepare
    storeUser({
      profile: userProfileItem(USER, 'someone@acme.test', 'tenant-gone'),
      pages: [
        [userMembershipItem(USER, 'tenant-a', 'owner', '2024-05-01T00:00:00.000Z')],
        [userMembershipItem(USER, 'tenant-b', 'viewer', '2023-03-01T00:00:00.000Z')],
      ],
    });

    // Act
    const out = await preTokenGeneration(tokenEvent());

    // Assess
    expect(out.response).toEqual(claimsOf('tenant-b', 'viewer'));
    const queries = ddbMock.commandCalls(QueryCommand).map((call) => call.args[0].input.ExclusiveStartKey);
    expect(queries).toEqual([undefined, { pk: `USER#${USER}`, sk: 'MEMBERSHIP#page-0' }]);
  });

  it('rejects, failing the trigger, when a read fails', async () => {
    // Prepare
    ddbMock.on(GetCommand).rejects(new Error('ProvisionedThroughputExceededException'));

    // Act
    const generating = handler(tokenEvent(), lambdaContext());

    // Assess
    await expect(generating).rejects.toThrow('ProvisionedThroughputExceededException');
  });

  it('hands the event back through the wrapped handler with the claims response', async () => {
    // Prepare
    storeUser({
      profile: userProfileItem(USER, 'someone@acme.test', 'tenant-a'),
      memberships: [userMembershipItem(USER, 'tenant-a', 'owner', '2024-02-01T00:00:00.000Z')],
    });
    const event = tokenEvent();

    // Act
    const out = (await handler(event, lambdaContext())) as PreTokenGenerationV2Event;

    // Assess
    expect(out).toMatchObject({ userName: USER, request: event.request, triggerSource: 'TokenGeneration_Authentication' });
    expect(out.response).toMatchObject({
      claimsAndScopeOverrideDetails: { idTokenGeneration: { claimsToAddOrOverride: { tenant_id: 'tenant-a', tenant_role: 'owner' } } },
    });
  });

  it('refuses a V1 event (version "1") in the wrapped handler, without reading', async () => {
    // Prepare
    const v1 = {
      ...tokenEvent(),
      version: '1',
      triggerSource: 'TokenGeneration_Authentication',
      response: { claimsOverrideDetails: null },
    };

    // Act
    const generating = handler(v1, lambdaContext());

    // Assess
    await expect(generating).rejects.toThrow('Malformed trigger event.');
    expect(ddbMock.calls()).toHaveLength(0);
  });

  it('refuses an event without the user sub in the wrapped handler', async () => {
    // Prepare
    const event = tokenEvent();
    const withoutSub = { ...event, request: { ...event.request, userAttributes: { email: 'someone@acme.test' } } };

    // Act
    const generating = handler(withoutSub, lambdaContext());

    // Assess
    await expect(generating).rejects.toThrow('Malformed trigger event.');
  });

  describe('with SSO', () => {
    const ssoOf = (tenantId: string, enforce: boolean) => ({
      ...ssoConfigKey(tenantId),
      entity: 'sso',
      tenantId,
      providerName: tenantProviderName(tenantId),
      type: 'oidc',
      defaultRole: 'member',
      enforce,
    });
    const store = (key: { pk: string; sk: string }, item: Item) => ddbMock.on(GetCommand, { Key: key }).resolves({ Item: item });
    const federated = (source: PreTokenGenerationV2Event['triggerSource']): PreTokenGenerationV2Event => ({
      ...tokenEvent(source),
      userName: `${tenantProviderName('tenant-a')}_idp-subject-1`,
    });

    it.each(['TokenGeneration_Authentication', 'TokenGeneration_NewPasswordChallenge', 'TokenGeneration_AuthenticateDevice'] as const)(
      "refuses %s where the email's domain is verified by a tenant enforcing SSO",
      async (source) => {
        storeUser({ profile: userProfileItem(USER, 'someone@acme.test', 'tenant-a') });
        store(domainClaimKey('acme.test'), { tenantId: 'tenant-a' });
        store(ssoConfigKey('tenant-a'), ssoOf('tenant-a', true));

        await expect(preTokenGeneration(tokenEvent(source))).rejects.toThrow(SSO_REQUIRED_MESSAGE);
      },
    );

    it('lets an own sign-in through where the tenant has SSO without enforcing it', async () => {
      storeUser({
        profile: userProfileItem(USER, 'someone@acme.test', 'tenant-a'),
        memberships: [userMembershipItem(USER, 'tenant-a', 'member', '2024-02-01T00:00:00.000Z')],
      });
      store(domainClaimKey('acme.test'), { tenantId: 'tenant-a' });
      store(ssoConfigKey('tenant-a'), ssoOf('tenant-a', false));

      expect((await preTokenGeneration(tokenEvent())).response).toEqual(claimsOf('tenant-a', 'member'));
    });

    it.each(['TokenGeneration_HostedAuth', 'TokenGeneration_RefreshTokens'] as const)(
      "gives a tenant provider's user tokens for %s only while the provider is that tenant's and the domain still verified by it",
      async (source) => {
        storeUser({
          profile: { ...userProfileItem(USER, 'someone@acme.test', 'tenant-a'), ssoTenantId: 'tenant-a' },
          memberships: [userMembershipItem(USER, 'tenant-a', 'member', '2024-02-01T00:00:00.000Z')],
        });
        store(identityProviderKey(tenantProviderName('tenant-a')), { tenantId: 'tenant-a' });
        store(ssoConfigKey('tenant-a'), ssoOf('tenant-a', true));
        store(domainClaimKey('acme.test'), { tenantId: 'tenant-a' });
        expect((await preTokenGeneration(federated(source))).response).toEqual(claimsOf('tenant-a', 'member'));

        store(domainClaimKey('acme.test'), { tenantId: 'tenant-b' });
        await expect(preTokenGeneration(federated(source))).rejects.toThrow(SSO_REFUSED_MESSAGE);

        store(domainClaimKey('acme.test'), { tenantId: 'tenant-a' });
        ddbMock.on(GetCommand, { Key: identityProviderKey(tenantProviderName('tenant-a')) }).resolves({});
        await expect(preTokenGeneration(federated(source))).rejects.toThrow(SSO_REFUSED_MESSAGE);
      },
    );

    it("refuses a hosted-login sign-in without an identity of the enforcing tenant's provider (the hosted password form, Google)", async () => {
      storeUser({ profile: userProfileItem(USER, 'someone@acme.test', 'tenant-a') });
      store(domainClaimKey('acme.test'), { tenantId: 'tenant-a' });
      store(ssoConfigKey('tenant-a'), ssoOf('tenant-a', true));

      await expect(preTokenGeneration(tokenEvent('TokenGeneration_HostedAuth'))).rejects.toThrow(SSO_REQUIRED_MESSAGE);
    });

    it('rechecks the provider a password account was linked to on its hosted sign-ins and refreshes', async () => {
      const linked: PreTokenGenerationV2Event = tokenEvent('TokenGeneration_HostedAuth');
      linked.request.userAttributes.identities = JSON.stringify([
        { providerName: tenantProviderName('tenant-a'), userId: 'idp-subject-1' },
      ]);
      storeUser({
        profile: { ...userProfileItem(USER, 'someone@acme.test', 'tenant-a'), ssoTenantId: 'tenant-a' },
        memberships: [userMembershipItem(USER, 'tenant-a', 'member', '2024-02-01T00:00:00.000Z')],
      });
      store(identityProviderKey(tenantProviderName('tenant-a')), { tenantId: 'tenant-a' });
      store(ssoConfigKey('tenant-a'), ssoOf('tenant-a', true));
      store(domainClaimKey('acme.test'), { tenantId: 'tenant-a' });
      expect((await preTokenGeneration(linked)).response).toEqual(claimsOf('tenant-a', 'member'));

      ddbMock.on(GetCommand, { Key: domainClaimKey('acme.test') }).resolves({});
      await expect(preTokenGeneration(linked)).rejects.toThrow(SSO_REFUSED_MESSAGE);
      await expect(preTokenGeneration({ ...linked, triggerSource: 'TokenGeneration_RefreshTokens' })).rejects.toThrow(SSO_REFUSED_MESSAGE);
    });

    it("gives an SSO account its tenant's claims alone, whatever its active tenant, or none", async () => {
      storeUser({
        profile: { ...userProfileItem(USER, 'someone@acme.test', 'tenant-b'), ssoTenantId: 'tenant-a' },
        memberships: [
          userMembershipItem(USER, 'tenant-a', 'member', '2024-02-01T00:00:00.000Z'),
          userMembershipItem(USER, 'tenant-b', 'owner', '2023-02-01T00:00:00.000Z'),
        ],
      });
      expect((await preTokenGeneration(tokenEvent('TokenGeneration_RefreshTokens'))).response).toEqual(claimsOf('tenant-a', 'member'));

      ddbMock.on(GetCommand, { Key: userMembershipKey('tenant-a', USER) }).resolves({});
      const suppressed = { claimsToSuppress: ['tenant_id', 'tenant_role'] };
      expect((await preTokenGeneration(tokenEvent('TokenGeneration_RefreshTokens'))).response).toEqual({
        claimsAndScopeOverrideDetails: { accessTokenGeneration: suppressed, idTokenGeneration: suppressed },
      });
      expect(ddbMock.commandCalls(QueryCommand)).toHaveLength(0);
    });
  });
});
