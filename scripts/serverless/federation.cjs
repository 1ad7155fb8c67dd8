'use strict';
/**
 * Pool-level federation from stage config (stages.yml `<stage>.federation`):
 * Google, Sign in with Apple, Facebook, Login with Amazon, one OIDC and one
 * SAML provider, each an AWS::Cognito::UserPoolIdentityProvider that exists
 * only on a stage that configures it, and the app client's
 * SupportedIdentityProviders listing COGNITO plus exactly those.
 *
 * Secrets never reach the template or the repository: a secret field names a
 * Secrets Manager secret, and the template holds a dynamic reference that
 * CloudFormation resolves at deploy time. Secrets Manager only: `ssm-secure`
 * works for a short list of resources that does not include Cognito identity
 * providers, and a plain `ssm` String parameter is not encrypted. A value that
 * is not secret (a client id, a team id, an issuer) may be written as it is or
 * name an `ssm` String parameter (or a secret).
 *
 * Used by the stage guard (stage-guard.cjs): the config is checked when any
 * command starts, and the providers are added to the compiled template.
 */

/** The stage config key → the provider CloudFormation knows, and what it takes. */
const PROVIDERS = {
  google: {
    logicalId: 'GoogleIdentityProvider',
    providerName: 'Google',
    providerType: 'Google',
    fields: { clientId: 'value', clientSecret: 'secret' },
    details: (c) => ({ client_id: c.clientId, client_secret: c.clientSecret, authorize_scopes: 'openid email profile' }),
    // Google asserts whether it verified the address.
    attributes: { email: 'email', email_verified: 'email_verified', name: 'name' },
  },
  apple: {
    logicalId: 'AppleIdentityProvider',
    providerName: 'SignInWithApple',
    providerType: 'SignInWithApple',
    // clientId is the Services ID; the private key is the .p8 key's PEM text.
    fields: { clientId: 'value', teamId: 'value', keyId: 'value', privateKey: 'secret' },
    details: (c) => ({
      client_id: c.clientId,
      team_id: c.teamId,
      key_id: c.keyId,
      private_key: c.privateKey,
      authorize_scopes: 'email name',
    }),
    // Apple sends the name on the first sign-in only; the email claims every time.
    attributes: { email: 'email', email_verified: 'email_verified', name: 'name' },
  },
  facebook: {
    logicalId: 'FacebookIdentityProvider',
    providerName: 'Facebook',
    providerType: 'Facebook',
    fields: { clientId: 'value', clientSecret: 'secret', apiVersion: 'optional-value' },
    details: (c) => ({
      client_id: c.clientId,
      client_secret: c.clientSecret,
      authorize_scopes: 'public_profile,email',
      ...(c.apiVersion === undefined ? {} : { api_version: c.apiVersion }),
    }),
    // Facebook asserts no verification status: Cognito keeps a mapped email unverified.
    attributes: { email: 'email', name: 'name' },
  },
  amazon: {
    logicalId: 'AmazonIdentityProvider',
    providerName: 'LoginWithAmazon',
    providerType: 'LoginWithAmazon',
    fields: { clientId: 'value', clientSecret: 'secret' },
    details: (c) => ({ client_id: c.clientId, client_secret: c.clientSecret, authorize_scopes: 'profile' }),
    // Login with Amazon asserts no verification status either.
    attributes: { email: 'email', name: 'name' },
  },
  oidc: {
    logicalId: 'OidcIdentityProvider',
    providerType: 'OIDC',
    fields: { name: 'name', issuer: 'url', clientId: 'value', clientSecret: 'secret', scopes: 'scopes' },
    details: (c) => ({
      client_id: c.clientId,
      client_secret: c.clientSecret,
      oidc_issuer: c.issuer,
      authorize_scopes: (c.scopes ?? ['openid', 'email', 'profile']).join(' '),
      attributes_request_method: 'GET',
    }),
    attributes: { email: 'email', email_verified: 'email_verified', name: 'name' },
  },
  saml: {
    logicalId: 'SamlIdentityProvider',
    providerType: 'SAML',
    fields: { name: 'name', metadataUrl: 'url', emailAttribute: 'optional-value', nameAttribute: 'optional-value' },
    details: (c) => ({ MetadataURL: c.metadataUrl, IDPSignout: 'false', RequestSigningAlgorithm: 'rsa-sha256' }),
    // SAML has no verification claim: the address stays unverified in Cognito. The claim names are
    // the ones Microsoft Entra ID, AD FS and most others send; a stage may name its IdP's own.
    attributes: (c) => ({
      email: c.emailAttribute ?? 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress',
      name: c.nameAttribute ?? 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name',
    }),
  },
};

/** Names Cognito reserves, and the prefix of every tenant's own provider (src/lib/sso/provider-name.ts). */
const RESERVED_NAMES = ['COGNITO', 'Google', 'Facebook', 'SignInWithApple', 'LoginWithAmazon'];
const TENANT_PROVIDER = /^t-[a-z2-7]{26}$/;
const PROVIDER_NAME = /^[A-Za-z][A-Za-z0-9-]{1,31}$/;
const SECRET_ID = /^[A-Za-z0-9/_+=.@:-]{1,2048}$/;
const JSON_KEY = /^[A-Za-z0-9_.-]{1,256}$/;
const VERSION_ID = /^[A-Za-z0-9-]{32,64}$/;
const PARAMETER_NAME = /^[A-Za-z0-9_.\-/]{1,2048}$/;
const isRecord = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);

const SECRET_HELP =
  'name a Secrets Manager secret instead, e.g. { secretsManager: tenantgate/prod/federation, jsonKey: googleClientSecret } ' +
  '(stages.yml is in the repository, so a value written there is leaked)';

/** Why a reference object is refused, or undefined. `secret`: only Secrets Manager will do. */
const referenceProblem = (where, ref, secret) => {
  const keys = Object.keys(ref);
  if ('secretsManager' in ref) {
    const unknown = keys.filter((k) => !['secretsManager', 'jsonKey', 'versionId'].includes(k));
    if (unknown.length) return `${where} has unknown keys ${unknown.join(', ')} (secretsManager, jsonKey, versionId)`;
    if (typeof ref.secretsManager !== 'string' || !SECRET_ID.test(ref.secretsManager))
      return `${where}.secretsManager must be a secret's name or ARN`;
    if (ref.jsonKey !== undefined && (typeof ref.jsonKey !== 'string' || !JSON_KEY.test(ref.jsonKey)))
      return `${where}.jsonKey must be a key of the secret's JSON (letters, digits, _ . -)`;
    if (ref.versionId !== undefined && (typeof ref.versionId !== 'string' || !VERSION_ID.test(ref.versionId)))
      return `${where}.versionId must be a secret version id`;
    return undefined;
  }
  if ('ssm' in ref) {
    if (secret) {
      return `${where} names an SSM parameter: CloudFormation resolves SecureString parameters (ssm-secure) for a few resource types only, not Cognito identity providers, and a plain String parameter is not encrypted; ${SECRET_HELP}`;
    }
    const unknown = keys.filter((k) => !['ssm', 'version'].includes(k));
    if (unknown.length) return `${where} has unknown keys ${unknown.join(', ')} (ssm, version)`;
    if (typeof ref.ssm !== 'string' || !PARAMETER_NAME.test(ref.ssm)) return `${where}.ssm must be a parameter name`;
    if (ref.version !== undefined && !/^\d{1,10}$/.test(String(ref.version))) return `${where}.version must be a number`;
    return undefined;
  }
  return `${where} must be ${secret ? '{ secretsManager, jsonKey? }' : 'a value, { ssm } or { secretsManager, jsonKey? }'}`;
};

/** Why one field of a provider is refused, or undefined. */
const fieldProblem = (where, kind, value) => {
  if (value === undefined || value === null || value === '') {
    return kind.startsWith('optional') || kind === 'scopes' ? undefined : `${where} is required`;
  }
  if (kind === 'secret') {
    if (!isRecord(value)) return `${where} is a secret and must not be written in stages.yml: ${SECRET_HELP}`;
    return referenceProblem(where, value, true);
  }
  if (kind === 'name') {
    if (typeof value !== 'string' || !PROVIDER_NAME.test(value))
      return `${where} "${value}" must be 2–32 letters, digits or hyphens, starting with a letter`;
    if (RESERVED_NAMES.some((n) => n.toLowerCase() === value.toLowerCase())) return `${where} "${value}" is a name Cognito reserves`;
    if (/^t-/i.test(value)) return `${where} "${value}" starts with "t-", the prefix of the tenants' own providers`;
    return undefined;
  }
  if (kind === 'scopes') {
    const ok = Array.isArray(value) && value.length > 0 && value.every((s) => typeof s === 'string' && /^[\x21-\x7e]+$/.test(s));
    if (!ok) return `${where} must be a list of scope names`;
    return value.includes('openid') ? undefined : `${where} must include openid`;
  }
  if (isRecord(value)) return referenceProblem(where, value, false);
  if (typeof value !== 'string') return `${where} must be a string`;
  if (kind === 'url' && !/^https:\/\/[^\s/?#]+(\/[^\s]*)?$/.test(value)) return `${where} "${value}" must be an https URL`;
  return undefined;
};

/** Every reason a stage's `federation` settings are refused (empty when they are fine, or absent). */
const federationProblems = (federation) => {
  if (federation === undefined || federation === null) return [];
  if (!isRecord(federation)) return ['federation must be a map of providers (google, apple, facebook, amazon, oidc, saml)'];
  const problems = [];
  for (const [key, config] of Object.entries(federation)) {
    const provider = PROVIDERS[key];
    if (!provider) {
      problems.push(`federation.${key} is not a provider this stack knows (${Object.keys(PROVIDERS).join(', ')})`);
      continue;
    }
    if (!isRecord(config)) {
      problems.push(`federation.${key} must be a map of settings`);
      continue;
    }
    for (const field of Object.keys(config).filter((f) => !(f in provider.fields))) {
      problems.push(`federation.${key}.${field} is not a setting of ${key} (${Object.keys(provider.fields).join(', ')})`);
    }
    for (const [field, kind] of Object.entries(provider.fields)) {
      const problem = fieldProblem(`federation.${key}.${field}`, kind, config[field]);
      if (problem) problems.push(problem);
    }
  }
  const oidcName = federation.oidc?.name;
  if (typeof oidcName === 'string' && oidcName.toLowerCase() === String(federation.saml?.name).toLowerCase()) {
    problems.push('federation.oidc.name and federation.saml.name must differ');
  }
  return problems;
};

/** A setting as the template holds it: the value, or the dynamic reference CloudFormation resolves. */
const templateValue = (value) => {
  if (!isRecord(value)) return value;
  if ('secretsManager' in value) {
    // secret-id:SecretString:json-key:version-stage:version-id, trailing empty parts left out.
    const parts = [value.secretsManager, 'SecretString', value.jsonKey ?? '', '', value.versionId ?? ''];
    while (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
    if (parts.length === 2) parts.pop();
    return `{{resolve:secretsmanager:${parts.join(':')}}}`;
  }
  return `{{resolve:ssm:${value.ssm}${value.version === undefined ? '' : `:${value.version}`}}}`;
};

/** The identity provider resources a stage's settings make, by logical id (none without settings). */
const federationResources = (federation) => {
  const resources = {};
  for (const [key, config] of Object.entries(federation ?? {})) {
    const provider = PROVIDERS[key];
    const settings = Object.fromEntries(Object.entries(config).map(([field, value]) => [field, templateValue(value)]));
    resources[provider.logicalId] = {
      Type: 'AWS::Cognito::UserPoolIdentityProvider',
      Properties: {
        UserPoolId: { Ref: 'UserPool' },
        ProviderName: provider.providerName ?? config.name,
        ProviderType: provider.providerType,
        ProviderDetails: provider.details(settings),
        AttributeMapping: typeof provider.attributes === 'function' ? provider.attributes(settings) : provider.attributes,
      },
    };
  }
  return resources;
};

/**
 * Adds a stage's identity providers to the compiled template, and lists them
 * on the app client. The client names each by `Ref` (a provider's Ref is its
 * name), so CloudFormation creates the providers before it updates the client,
 * and removes a dropped one only after the client no longer lists it. The
 * client may write (and read) `name`: Cognito rewrites mapped attributes at
 * every federated sign-in, and refuses the sign-in if the client cannot.
 */
const withFederation = (template, federation) => {
  const problems = federationProblems(federation);
  if (problems.length) throw new Error(`Invalid federation settings: ${problems.join('; ')}`);
  const resources = federationResources(federation);
  const client = template.Resources?.UserPoolClient;
  if (!client) throw new Error('the template has no UserPoolClient to list the identity providers on');
  Object.assign(template.Resources, resources);
  const ids = Object.keys(resources);
  client.Properties.SupportedIdentityProviders = ['COGNITO', ...ids.map((id) => ({ Ref: id }))];
  if (ids.length > 0) {
    for (const list of ['ReadAttributes', 'WriteAttributes']) {
      const current = client.Properties[list] ?? [];
      if (!current.includes('name')) client.Properties[list] = [...current, 'name'];
    }
  }
  return template;
};

/**
 * Keeps the tenants' own providers (added at run time by the SSO routes) on
 * the app client through a deploy: CloudFormation sets the client's whole
 * SupportedIdentityProviders list whenever it updates the client, so the list
 * it deploys gets the tenant providers the client lists now.
 */
const keepTenantProviders = (template, liveProviders) => {
  const client = template.Resources?.UserPoolClient;
  if (!client) return template;
  const tenants = (liveProviders ?? []).filter((name) => TENANT_PROVIDER.test(name)).sort();
  const listed = client.Properties.SupportedIdentityProviders ?? ['COGNITO'];
  client.Properties.SupportedIdentityProviders = [...listed, ...tenants.filter((name) => !listed.includes(name))];
  return template;
};

module.exports = { PROVIDERS, federationProblems, federationResources, withFederation, keepTenantProviders, templateValue };
