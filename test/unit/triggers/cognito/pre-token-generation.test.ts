import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import type { PreTokenGenerationV2Event } from '../../../../src/lib/cognito/trigger-events';
import { handler, preTokenGeneration } from '../../../../src/triggers/cognito/pre-token-generation';
import { lambdaContext } from '../../support/api-gateway';
import { ddbMock, queriedPartition, userMembershipItem, userProfileItem } from '../../support/dynamodb';

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

const storeUser = (items: Record<string, unknown>[]) => {
  ddbMock.on(QueryCommand).resolves({ Items: items });
};

describe('preTokenGeneration', () => {
  beforeEach(() => {
    ddbMock.reset();
  });

  it.each(TRIGGER_SOURCES)('puts tenant_id and tenant_role into both the access and the ID token for %s', async (source) => {
    // Prepare
    storeUser([
      userProfileItem(USER, 'someone@acme.test', 'tenant-a'),
      userMembershipItem(USER, 'tenant-a', 'admin', '2024-02-01T00:00:00.000Z'),
    ]);

    // Act
    const out = await preTokenGeneration(tokenEvent(source));

    // Assess
    const claims = { claimsToAddOrOverride: { tenant_id: 'tenant-a', tenant_role: 'admin' } };
    expect(out.response).toEqual({ claimsAndScopeOverrideDetails: { accessTokenGeneration: claims, idTokenGeneration: claims } });
  });

  it("reads the user's partition strongly consistent", async () => {
    // Prepare
    storeUser([]);

    // Act
    await preTokenGeneration(tokenEvent());

    // Assess
    const [query] = ddbMock.commandCalls(QueryCommand);
    expect(query && queriedPartition(query.args[0].input)).toBe(`USER#${USER}`);
    expect(query?.args[0].input.ConsistentRead).toBe(true);
  });

  it('takes the active tenant, not the oldest membership', async () => {
    // Prepare
    storeUser([
      userProfileItem(USER, 'someone@acme.test', 'tenant-b'),
      userMembershipItem(USER, 'tenant-a', 'owner', '2023-01-01T00:00:00.000Z'),
      userMembershipItem(USER, 'tenant-b', 'viewer', '2024-06-01T00:00:00.000Z'),
    ]);

    // Act
    const out = await preTokenGeneration(tokenEvent());

    // Assess
    expect(out.response).toMatchObject({
      claimsAndScopeOverrideDetails: { accessTokenGeneration: { claimsToAddOrOverride: { tenant_id: 'tenant-b', tenant_role: 'viewer' } } },
    });
  });

  it('suppresses the tenant claims, and adds none, for a user with no membership', async () => {
    // Prepare
    storeUser([userProfileItem(USER, 'someone@acme.test')]);

    // Act
    const out = await preTokenGeneration(tokenEvent('TokenGeneration_RefreshTokens'));

    // Assess
    const suppressed = { claimsToSuppress: ['tenant_id', 'tenant_role'] };
    expect(out.response).toEqual({ claimsAndScopeOverrideDetails: { accessTokenGeneration: suppressed, idTokenGeneration: suppressed } });
  });

  it("falls back to the oldest remaining membership when the active tenant's membership is gone", async () => {
    // Prepare
    storeUser([
      userProfileItem(USER, 'someone@acme.test', 'tenant-gone'),
      userMembershipItem(USER, 'tenant-newer', 'owner', '2024-05-01T00:00:00.000Z'),
      userMembershipItem(USER, 'tenant-older', 'member', '2024-01-15T00:00:00.000Z'),
    ]);

    // Act
    const out = await preTokenGeneration(tokenEvent());

    // Assess
    const claims = { claimsToAddOrOverride: { tenant_id: 'tenant-older', tenant_role: 'member' } };
    expect(out.response).toEqual({ claimsAndScopeOverrideDetails: { accessTokenGeneration: claims, idTokenGeneration: claims } });
  });

  it('rejects, failing the trigger, when the DynamoDB read fails', async () => {
    // Prepare
    ddbMock.on(QueryCommand).rejects(new Error('ProvisionedThroughputExceededException'));

    // Act
    const generating = handler(tokenEvent(), lambdaContext());

    // Assess
    await expect(generating).rejects.toThrow('ProvisionedThroughputExceededException');
  });

  it('hands the event back through the wrapped handler with the claims response', async () => {
    // Prepare
    storeUser([userMembershipItem(USER, 'tenant-a', 'owner', '2024-02-01T00:00:00.000Z')]);
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
});
