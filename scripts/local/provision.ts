import {
  CognitoIdentityProviderClient,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeUserPoolCommand,
  SetUserPoolMfaConfigCommand,
  UpdateUserPoolClientCommand,
  type UpdateUserPoolClientCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  CreateTableCommand,
  DynamoDBClient,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';

/** Emulators take any credentials except s3rver, which wants its own pair. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/** The table as resources/dynamodb.yml defines it (the parts DynamoDB Local understands). */
export const ensureTable = async (endpoint: string, region: string, tableName: string): Promise<void> => {
  const client = new DynamoDBClient({ endpoint, region, credentials: LOCAL_CREDENTIALS });
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
      }),
    );
    await waitUntilTableExists({ client, maxWaitTime: 30 }, { TableName: tableName });
    await client.send(
      new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true } }),
    );
  } catch (err) {
    if (!(err instanceof ResourceInUseException)) throw err;
  } finally {
    client.destroy();
  }
};

/** The local pool's passkey relying party: the web app and tests run on localhost. */
export const LOCAL_PASSKEY_RELYING_PARTY = 'localhost';

export type LocalPool = { userPoolId: string; clientId: string };

/**
 * The public client's settings as resources/cognito.yml has them: choice-based
 * sign-in (USER_AUTH), SRP and refresh, so a client library signs in here
 * exactly as on AWS (and cognito-local refuses USER_PASSWORD_AUTH as Cognito
 * does), and the hosted login (code + PKCE) back to the web app. All of them,
 * every time: UpdateUserPoolClient returns a setting it is not sent to its
 * default, on AWS and in the emulator alike.
 */
export const publicClientSettings = (webOrigin: string): Omit<UpdateUserPoolClientCommandInput, 'UserPoolId' | 'ClientId'> => ({
  ExplicitAuthFlows: ['ALLOW_USER_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
  PreventUserExistenceErrors: 'ENABLED',
  EnableTokenRevocation: true,
  // serverless.yml's default params accessTokenMinutes and refreshTokenDays; the emulator expires refresh tokens too.
  AccessTokenValidity: 30,
  IdTokenValidity: 30,
  RefreshTokenValidity: 30,
  TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes', RefreshToken: 'days' },
  // resources/cognito.yml leaves rotation off: a refresh returns no new refresh token, and REFRESH_TOKEN_AUTH works.
  RefreshTokenRotation: { Feature: 'DISABLED', RetryGracePeriodSeconds: 0 },
  // serverless.yml's params callbackUrls and logoutUrls, from the stage's webOrigin.
  AllowedOAuthFlowsUserPoolClient: true,
  AllowedOAuthFlows: ['code'],
  AllowedOAuthScopes: ['openid', 'email', 'profile', 'aws.cognito.signin.user.admin'],
  CallbackURLs: [`${webOrigin}/auth/callback`],
  LogoutURLs: [`${webOrigin}/`],
  SupportedIdentityProviders: ['COGNITO'],
  ReadAttributes: ['email', 'email_verified'],
  WriteAttributes: ['email'],
});

/**
 * The pool and public client as resources/cognito.yml defines them, minus
 * what cognito-local lacks (hosted UI). An existing pool from an earlier run
 * is reused, its client brought to today's settings.
 */
export const ensureUserPool = async (
  endpoint: string,
  region: string,
  existing: LocalPool | undefined,
  webOrigin: string,
): Promise<LocalPool> => {
  const settings = publicClientSettings(webOrigin);
  const client = new CognitoIdentityProviderClient({ endpoint, region, credentials: LOCAL_CREDENTIALS });
  try {
    if (existing) {
      try {
        await client.send(new DescribeUserPoolCommand({ UserPoolId: existing.userPoolId }));
        await client.send(new UpdateUserPoolClientCommand({ UserPoolId: existing.userPoolId, ClientId: existing.clientId, ...settings }));
        return existing;
      } catch {
        // gone (state was reset): create a new one below
      }
    }
    const pool = await client.send(
      new CreateUserPoolCommand({
        PoolName: 'tenantgate-local',
        UsernameAttributes: ['email'],
        AutoVerifiedAttributes: ['email'],
        Policies: {
          PasswordPolicy: {
            MinimumLength: 12,
            RequireLowercase: true,
            RequireUppercase: true,
            RequireNumbers: true,
            RequireSymbols: false,
          },
          // Choice-based sign-in (USER_AUTH) with email codes and passkeys, as a deployed stage with a mail
          // identity and a passkey relying party has it.
          SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'EMAIL_OTP', 'WEB_AUTHN'] },
        },
        AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] },
        MfaConfiguration: 'OPTIONAL',
      }),
    );
    const userPoolId = pool.UserPool?.Id;
    if (!userPoolId) throw new Error('cognito-local returned no pool id');
    // Passkeys for the web app on http://localhost (any port): the relying party is the host.
    await client.send(
      new SetUserPoolMfaConfigCommand({
        UserPoolId: userPoolId,
        WebAuthnConfiguration: {
          RelyingPartyId: LOCAL_PASSKEY_RELYING_PARTY,
          UserVerification: 'preferred',
          // As deployed (resources/cognito.yml): a passkey with user verification counts as MFA.
          FactorConfiguration: 'MULTI_FACTOR_WITH_USER_VERIFICATION',
        },
      }),
    );
    const appClient = await client.send(
      new CreateUserPoolClientCommand({
        UserPoolId: userPoolId,
        ClientName: 'tenantgate-local-public',
        GenerateSecret: false,
        ...settings,
      }),
    );
    const clientId = appClient.UserPoolClient?.ClientId;
    if (!clientId) throw new Error('cognito-local returned no client id');
    await client.send(new CreateGroupCommand({ UserPoolId: userPoolId, GroupName: 'platform-admin' }));
    return { userPoolId, clientId };
  } finally {
    client.destroy();
  }
};
