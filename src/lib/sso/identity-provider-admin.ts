import {
  CognitoIdentityProviderClient,
  CreateIdentityProviderCommand,
  DeleteIdentityProviderCommand,
  DescribeIdentityProviderCommand,
  DescribeUserPoolClientCommand,
  type IdentityProviderTypeType,
  UpdateIdentityProviderCommand,
  UpdateUserPoolClientCommand,
  type UpdateUserPoolClientCommandInput,
  type UserPoolClientType,
} from '@aws-sdk/client-cognito-identity-provider';
import { ConflictError, ValidationError } from '../errors';
import { ssoSettings } from './sso-settings';

/**
 * The longest one Cognito call may take, retries included: 2 attempts of at
 * most 2 s each (1 s to connect) and the SDK's backoff. A change of the app
 * client's providers starts its update only with this much of its lease left.
 */
export const COGNITO_CALL_BUDGET_MS = 4_500;

/** One client per container, created at module load (only the SSO functions load this module). */
const cognito = new CognitoIdentityProviderClient(
  ssoSettings.cognitoEndpoint
    ? // The local emulator (fetching the local provider's discovery on a loaded machine) gets the
      // longer budget the local functions get, as DynamoDB's client does: its pauses are not outages.
      { endpoint: ssoSettings.cognitoEndpoint, maxAttempts: 2 }
    : { maxAttempts: 2, requestHandler: { connectionTimeout: 1_000, requestTimeout: 2_000, throwOnRequestTimeout: true } },
);

/** What Cognito is told about a tenant's provider; the secret lives in `details` on its way to Cognito only. */
export type ProviderSpec = {
  type: Extract<IdentityProviderTypeType, 'OIDC' | 'SAML'>;
  details: Record<string, string>;
  attributeMapping: Record<string, string>;
};

const nameOf = (err: unknown): string | undefined => (err instanceof Error ? err.name : undefined);

/**
 * Creates the provider, or updates it if it exists (a retried PUT, a changed
 * configuration): Create → DuplicateProviderException → Update. Cognito cannot
 * change a provider's type, so a provider of the other type is deleted and
 * created anew (the app client's list is brought back by the caller).
 */
export const upsertIdentityProvider = async (providerName: string, spec: ProviderSpec): Promise<'created' | 'updated'> => {
  try {
    return await upsertProvider(providerName, spec);
  } catch (err) {
    throw cognitoRefusal(err) ?? err;
  }
};

/**
 * Cognito's own refusals of a provider, as the client should see them: it
 * checks the issuer or metadata itself (400 when it cannot use them), and a
 * pool holds a limited number of providers (409: retrying will not help, so
 * never the 503 its name would otherwise get).
 */
const cognitoRefusal = (err: unknown): Error | undefined => {
  const name = nameOf(err);
  if (name === 'InvalidParameterException') {
    return new ValidationError('Cognito could not use this identity provider: check the issuer (or the metadata) and the client id.');
  }
  if (name === 'LimitExceededException') {
    return new ConflictError('The user pool holds as many identity providers as it may: ask the operator to raise the quota.');
  }
  return undefined;
};

const upsertProvider = async (providerName: string, spec: ProviderSpec): Promise<'created' | 'updated'> => {
  const ids = { UserPoolId: ssoSettings.userPoolId, ProviderName: providerName };
  const create = () =>
    cognito.send(
      new CreateIdentityProviderCommand({
        ...ids,
        ProviderType: spec.type,
        ProviderDetails: spec.details,
        AttributeMapping: spec.attributeMapping,
      }),
    );
  try {
    await create();
    return 'created';
  } catch (err) {
    if (nameOf(err) !== 'DuplicateProviderException') throw err;
  }
  const existing = await cognito.send(new DescribeIdentityProviderCommand(ids));
  if (existing.IdentityProvider?.ProviderType !== spec.type) {
    await deleteIdentityProvider(providerName);
    await create();
    return 'created';
  }
  await cognito.send(new UpdateIdentityProviderCommand({ ...ids, ProviderDetails: spec.details, AttributeMapping: spec.attributeMapping }));
  return 'updated';
};

/** Deletes the provider; one already gone is fine (a retried DELETE). */
export const deleteIdentityProvider = async (providerName: string): Promise<void> => {
  try {
    await cognito.send(new DeleteIdentityProviderCommand({ UserPoolId: ssoSettings.userPoolId, ProviderName: providerName }));
  } catch (err) {
    if (nameOf(err) !== 'ResourceNotFoundException') throw err;
  }
};

export const describeAppClient = async (): Promise<UserPoolClientType> => {
  const out = await cognito.send(
    new DescribeUserPoolClientCommand({ UserPoolId: ssoSettings.userPoolId, ClientId: ssoSettings.appClientId }),
  );
  if (!out.UserPoolClient) throw new Error('DescribeUserPoolClient returned no client');
  return out.UserPoolClient;
};

export const updateAppClient = async (input: UpdateUserPoolClientCommandInput): Promise<void> => {
  await cognito.send(new UpdateUserPoolClientCommand(input));
};
