import { auditPut } from '../audit/audit-store';
import { actedBy, type TenantCaller } from '../auth/caller';
import { commit } from '../db/transaction';
import { NotFoundError } from '../errors';
import { setClientProvider } from './app-client-providers';
import { deleteIdentityProvider, type ProviderSpec, upsertIdentityProvider } from './identity-provider-admin';
import { loadOidcDiscovery } from './oidc-discovery';
import { tenantProviderName } from './provider-name';
import { loadSamlMetadata } from './saml-metadata';
import type { SsoConfig, SsoInput } from './sso-config';
import { ssoSettings } from './sso-settings';
import { deleteSsoWrites, getSsoConfig, readSso, saveSsoWrites } from './sso-store';

/** SAML attribute names of the email and display name (the claim URIs ADFS, Entra ID, Okta and Google send). */
export const SAML_EMAIL_CLAIM = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress';
export const SAML_NAME_CLAIM = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name';

/**
 * What Cognito is told. OIDC maps email_verified from the IdP; SAML asserts
 * none, so for SAML it is the tenant's verified domain that vouches for the email.
 */
export const providerSpec = (input: SsoInput): ProviderSpec => {
  if (input.type === 'oidc') {
    return {
      type: 'OIDC',
      details: {
        client_id: input.clientId,
        client_secret: input.clientSecret,
        authorize_scopes: 'openid email profile',
        oidc_issuer: input.issuer,
        attributes_request_method: 'GET',
      },
      attributeMapping: { email: 'email', email_verified: 'email_verified', name: 'name' },
    };
  }
  return {
    type: 'SAML',
    details: {
      ...(input.metadataUrl ? { MetadataURL: input.metadataUrl } : { MetadataFile: input.metadataXml ?? '' }),
      IDPSignout: 'false',
    },
    attributeMapping: { email: SAML_EMAIL_CLAIM, name: SAML_NAME_CLAIM },
  };
};

/** The identity provider's documents must load and be well formed before Cognito is touched (a 400 otherwise). */
const validateProvider = async (input: SsoInput): Promise<void> => {
  const options = { local: ssoSettings.local };
  if (input.type === 'oidc') await loadOidcDiscovery(input.issuer, options);
  else await loadSamlMetadata(input.metadataUrl ? { metadataUrl: input.metadataUrl } : { metadataXml: input.metadataXml ?? '' }, options);
};

const storedConfig = (input: SsoInput, providerName: string, createdAt: string, updatedAt: string): SsoConfig => {
  const common = { providerName, defaultRole: input.defaultRole, enforce: input.enforce, createdAt, updatedAt };
  if (input.type === 'oidc') return { type: 'oidc', issuer: input.issuer, clientId: input.clientId, ...common };
  return { type: 'saml', ...(input.metadataUrl ? { metadataUrl: input.metadataUrl } : {}), ...common };
};

/** The audit details: what changed, never the secret nor the metadata XML. */
const auditDetails = (config: SsoConfig, created: boolean) => ({
  type: config.type,
  ...(config.type === 'oidc' ? { issuer: config.issuer, clientId: config.clientId } : { metadataUrl: config.metadataUrl ?? '(inline)' }),
  defaultRole: config.defaultRole,
  enforce: config.enforce,
  created,
});

/**
 * Creates or updates the tenant's SSO: checks the IdP's documents, creates or
 * updates its Cognito provider, adds it to the app client's providers, then
 * stores the configuration and the provider's owner with the audit event in
 * one transaction. Each Cognito step is idempotent, so a PUT retried after
 * any failure converges; the configuration is only stored once Cognito has it.
 */
export const configureSso = async (
  caller: TenantCaller,
  input: SsoInput,
  now: Date = new Date(),
): Promise<{ config: SsoConfig; created: boolean }> => {
  await validateProvider(input);
  const providerName = tenantProviderName(caller.tenantId);
  const previous = await getSsoConfig(caller.tenantId);
  await upsertIdentityProvider(providerName, providerSpec(input));
  await setClientProvider(providerName, true);
  const at = now.toISOString();
  const config = storedConfig(input, providerName, previous?.createdAt ?? at, at);
  const audit = auditPut(
    caller.tenantId,
    { type: 'sso.configured', ...actedBy(caller), targetId: providerName, details: auditDetails(config, !previous) },
    now,
  );
  // A store that throttles or is down here answers 503 (src/lib/http/problem.ts): the client's retry converges.
  await commit([...saveSsoWrites(caller.tenantId, config, previous), audit]);
  return { config, created: !previous };
};

/**
 * Removes the tenant's SSO: the provider leaves the app client's list, then
 * Cognito, then the items go with the audit event in one transaction. Until
 * that last step the configuration stays, so a DELETE retried after any
 * failure finds it and finishes.
 */
export const deleteSso = async (caller: TenantCaller, now: Date = new Date()): Promise<void> => {
  const config = await readSso(caller);
  await setClientProvider(config.providerName, false);
  await deleteIdentityProvider(config.providerName);
  const audit = auditPut(
    caller.tenantId,
    { type: 'sso.deleted', ...actedBy(caller), targetId: config.providerName, details: { type: config.type } },
    now,
  );
  await commit(
    [...deleteSsoWrites(caller.tenantId, config.providerName), audit],
    () => new NotFoundError('This tenant has no SSO configuration.'),
  );
};
