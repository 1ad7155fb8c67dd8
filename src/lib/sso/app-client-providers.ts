import type { UpdateUserPoolClientCommandInput, UserPoolClientType } from '@aws-sdk/client-cognito-identity-provider';
import { ServiceUnavailableError } from '../errors';
import { COGNITO_CALL_BUDGET_MS, describeAppClient, updateAppClient } from './identity-provider-admin';
import { withLease } from './lease';

type CarriedSetting = Exclude<keyof UpdateUserPoolClientCommandInput, 'UserPoolId' | 'ClientId' | 'SupportedIdentityProviders'>;

/**
 * Every setting UpdateUserPoolClient takes. It resets each one it is not sent
 * to its default on AWS (callback URLs, OAuth flows, token lifetimes…), so a
 * change of the provider list sends all of them back as Describe read them.
 * `Record<CarriedSetting, true>` makes a setting a newer SDK adds a compile error here.
 */
const CARRIED: Record<CarriedSetting, true> = {
  ClientName: true,
  RefreshTokenValidity: true,
  AccessTokenValidity: true,
  IdTokenValidity: true,
  TokenValidityUnits: true,
  ReadAttributes: true,
  WriteAttributes: true,
  ExplicitAuthFlows: true,
  CallbackURLs: true,
  LogoutURLs: true,
  DefaultRedirectURI: true,
  AllowedOAuthFlows: true,
  AllowedOAuthScopes: true,
  AllowedOAuthFlowsUserPoolClient: true,
  AnalyticsConfiguration: true,
  PreventUserExistenceErrors: true,
  EnableTokenRevocation: true,
  EnablePropagateAdditionalUserContextData: true,
  AuthSessionValidity: true,
  RefreshTokenRotation: true,
};

/** The UpdateUserPoolClient input that changes only the provider list: every other setting as it is. */
export const clientUpdateWith = (client: UserPoolClientType, providers: string[]): UpdateUserPoolClientCommandInput => {
  const input: UpdateUserPoolClientCommandInput = {
    UserPoolId: client.UserPoolId,
    ClientId: client.ClientId,
    SupportedIdentityProviders: providers,
  };
  for (const key of Object.keys(CARRIED) as CarriedSetting[]) {
    const value = client[key];
    if (value !== undefined) Object.assign(input, { [key]: value });
  }
  return input;
};

/** The client's providers with `name` added or removed, in their order; unchanged means no update is needed. */
export const providersWith = (current: string[], name: string, present: boolean): string[] => {
  const others = current.filter((p) => p !== name);
  return present ? [...others, name] : others;
};

/** The lease (`lockKey('app-client')`) every change of the app client's provider list holds. */
export const APP_CLIENT_LEASE = 'app-client';

const sameList = (a: string[], b: string[]) => a.length === b.length && a.every((p) => b.includes(p));

/**
 * Adds (`present`) or removes a tenant's provider in the app client's
 * SupportedIdentityProviders: a read-modify-write of one shared list, so it
 * runs under a lease; two tenants configuring at once never lose each
 * other's entry. Nothing is written when the list already says so.
 */
export const setClientProvider = (providerName: string, present: boolean): Promise<void> =>
  withLease(APP_CLIENT_LEASE, async (lease) => {
    const client = await describeAppClient();
    const current = client.SupportedIdentityProviders ?? [];
    const next = providersWith(current, providerName, present);
    if (sameList(current, next) && current.includes(providerName) === present) return;
    // The update must land while the lease holds: started later, it could overwrite the next
    // holder's change. The client retries the whole change (503, Retry-After).
    if (lease.remainingMs() < COGNITO_CALL_BUDGET_MS) {
      throw new ServiceUnavailableError(new Error('the app-client lease ran short before the update'), 2);
    }
    await updateAppClient(clientUpdateWith(client, next));
  });
