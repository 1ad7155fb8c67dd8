import {
  CognitoIdentityProviderClient,
  DescribeUserPoolClientCommand,
  UpdateUserPoolClientCommand,
  type UserPoolClientType,
} from '@aws-sdk/client-cognito-identity-provider';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ServiceUnavailableError } from '../../../../src/lib/errors';
import { clientUpdateWith, setClientProvider } from '../../../../src/lib/sso/app-client-providers';
import { withLease } from '../../../../src/lib/sso/lease';
import { ddbMock } from '../../support/dynamodb';

const cognitoMock = mockClient(CognitoIdentityProviderClient);

/** A client as Describe answers it, every setting away from its default. */
const described: UserPoolClientType = {
  UserPoolId: 'eu-west-1_Test',
  ClientId: 'client123',
  ClientName: 'tenantgate-test-public',
  ClientSecret: 'never-sent-back',
  LastModifiedDate: new Date(),
  CreationDate: new Date(),
  RefreshTokenValidity: 30,
  AccessTokenValidity: 30,
  IdTokenValidity: 30,
  TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes', RefreshToken: 'days' },
  ReadAttributes: ['email', 'email_verified'],
  WriteAttributes: ['email'],
  ExplicitAuthFlows: ['ALLOW_USER_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
  SupportedIdentityProviders: ['COGNITO', 't-other'],
  CallbackURLs: ['https://app.example.com/auth/callback'],
  LogoutURLs: ['https://app.example.com/'],
  DefaultRedirectURI: 'https://app.example.com/auth/callback',
  AllowedOAuthFlows: ['code'],
  AllowedOAuthScopes: ['openid', 'email', 'profile', 'aws.cognito.signin.user.admin'],
  AllowedOAuthFlowsUserPoolClient: true,
  AnalyticsConfiguration: { ApplicationId: 'app', RoleArn: 'arn:aws:iam::123456789012:role/x', UserDataShared: false },
  PreventUserExistenceErrors: 'ENABLED',
  EnableTokenRevocation: true,
  EnablePropagateAdditionalUserContextData: false,
  AuthSessionValidity: 3,
  RefreshTokenRotation: { Feature: 'DISABLED', RetryGracePeriodSeconds: 0 },
};

/** Every setting UpdateUserPoolClient takes, as the SDK's model names them. */
const UPDATABLE = [
  'UserPoolId',
  'ClientId',
  'ClientName',
  'RefreshTokenValidity',
  'AccessTokenValidity',
  'IdTokenValidity',
  'TokenValidityUnits',
  'ReadAttributes',
  'WriteAttributes',
  'ExplicitAuthFlows',
  'SupportedIdentityProviders',
  'CallbackURLs',
  'LogoutURLs',
  'DefaultRedirectURI',
  'AllowedOAuthFlows',
  'AllowedOAuthScopes',
  'AllowedOAuthFlowsUserPoolClient',
  'AnalyticsConfiguration',
  'PreventUserExistenceErrors',
  'EnableTokenRevocation',
  'EnablePropagateAdditionalUserContextData',
  'AuthSessionValidity',
  'RefreshTokenRotation',
].sort();

const leaseFree = () => {
  ddbMock.on(PutCommand).resolves({});
  ddbMock.on(DeleteCommand).resolves({});
};

describe("the app client's provider list", () => {
  beforeEach(() => {
    ddbMock.reset();
    cognitoMock.reset();
  });

  it('sends every setting back as Describe read it, with only the provider list changed', () => {
    // Act
    const input = clientUpdateWith(described, ['COGNITO', 't-other', 't-mine']);

    // Assess
    expect(Object.keys(input).sort()).toEqual(UPDATABLE);
    for (const key of UPDATABLE.filter((k) => k !== 'SupportedIdentityProviders')) {
      expect(input[key as keyof typeof input], key).toEqual(described[key as keyof UserPoolClientType]);
    }
    expect(input).not.toHaveProperty('ClientSecret');
  });

  it("adds a tenant's provider under the lease, keeping the other tenants' and every setting", async () => {
    // Prepare
    leaseFree();
    cognitoMock.on(DescribeUserPoolClientCommand).resolves({ UserPoolClient: described });
    cognitoMock.on(UpdateUserPoolClientCommand).resolves({});

    // Act
    await setClientProvider('t-mine', true);

    // Assess
    const sent = cognitoMock.commandCalls(UpdateUserPoolClientCommand)[0]?.args[0].input;
    expect(sent?.SupportedIdentityProviders).toEqual(['COGNITO', 't-other', 't-mine']);
    expect(sent?.CallbackURLs).toEqual(described.CallbackURLs);
    expect(sent?.AllowedOAuthFlows).toEqual(['code']);
    expect(ddbMock.commandCalls(PutCommand)[0]?.args[0].input.Item?.pk).toBe('LOCK#app-client');
    expect(ddbMock.commandCalls(DeleteCommand)).toHaveLength(1);
  });

  it('removes only that provider, and writes nothing when the list already says so', async () => {
    leaseFree();
    cognitoMock.on(DescribeUserPoolClientCommand).resolves({ UserPoolClient: described });
    cognitoMock.on(UpdateUserPoolClientCommand).resolves({});

    await setClientProvider('t-other', false);
    await setClientProvider('t-absent', false);
    await setClientProvider('t-other', true);

    const updates = cognitoMock.commandCalls(UpdateUserPoolClientCommand).map((c) => c.args[0].input.SupportedIdentityProviders);
    expect(updates).toEqual([['COGNITO']]);
  });

  it('sends no update once the lease ran too short for it to land in time, and answers 503 to retry', async () => {
    // Prepare: Describe answers only 5 s after the 8-s lease was taken
    leaseFree();
    const takenAt = Date.now();
    const clock = vi.spyOn(Date, 'now').mockReturnValue(takenAt);
    cognitoMock.on(DescribeUserPoolClientCommand).callsFake(async () => {
      clock.mockReturnValue(takenAt + 5_000);
      return { UserPoolClient: described };
    });
    cognitoMock.on(UpdateUserPoolClientCommand).resolves({});

    // Act
    const changing = setClientProvider('t-mine', true);

    // Assess
    await expect(changing).rejects.toMatchObject({ status: 503 });
    expect(cognitoMock.commandCalls(UpdateUserPoolClientCommand)).toHaveLength(0);
    expect(ddbMock.commandCalls(DeleteCommand)).toHaveLength(1);
    clock.mockRestore();
  });

  it('releases the lease when the change fails', async () => {
    leaseFree();
    cognitoMock.on(DescribeUserPoolClientCommand).rejects(new Error('boom'));

    await expect(setClientProvider('t-mine', true)).rejects.toThrow('boom');
    expect(ddbMock.commandCalls(DeleteCommand)).toHaveLength(1);
  });

  it('waits for a busy lease a few times, then answers 503 with Retry-After', async () => {
    ddbMock.on(PutCommand).rejects(new ConditionalCheckFailedException({ message: 'held', $metadata: {} }));
    let ran = false;

    const err = await withLease(
      'app-client',
      async () => {
        ran = true;
      },
      { leaseMs: 1000, attempts: 3, waitMs: 1 },
    ).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(ServiceUnavailableError);
    expect((err as ServiceUnavailableError).retryAfterSeconds).toBeGreaterThan(0);
    expect(ran).toBe(false);
    expect(ddbMock.commandCalls(PutCommand)).toHaveLength(3);
  });

  it('takes a lease whose holder ran out of time', async () => {
    leaseFree();

    await withLease('app-client', async () => {});

    const put = ddbMock.commandCalls(PutCommand)[0]?.args[0].input;
    expect(put?.ConditionExpression).toBe('attribute_not_exists(pk) OR expiresAt < :now');
    expect(put?.Item?.ttl).toBeGreaterThan(Date.now() / 1000);
  });
});
