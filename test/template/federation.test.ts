import { cp, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import federation from '../../scripts/serverless/federation.cjs';
import { type CfnTemplate, isRecord, propertiesOf, referencedLogicalId, resourcesOfType, stringLeaves } from './cfn-template';
import { packageServiceOffline } from './package-service';
import { PACKAGED_STAGES, readPackagedTemplate } from './packaged-templates';
import { violationsIntroducedBy } from './template-mutations';
import { checkTemplate } from './template-rules';

const { federationProblems, withFederation, keepTenantProviders } = federation;

/** What the stage's secrets hold in Secrets Manager: none of it may ever reach the template. */
const SECRET_VALUES = {
  googleClientSecret: 'GOCSPX-fake-google-client-secret',
  applePrivateKey: '-----BEGIN PRIVATE KEY-----\nMIGTAgEAfakeapplekey\n-----END PRIVATE KEY-----',
  facebookAppSecret: 'fb-fake-app-secret-0123456789',
  amazonClientSecret: 'amzn1-fake-client-secret',
  oktaClientSecret: 'okta-fake-client-secret',
};
const SECRET = 'tenantgate/test/federation';
const APPLE_SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:tenantgate/test/apple-AbCdEf';

/** A stage that switches every provider on, as stages.yml would hold it. */
const EVERY_PROVIDER = {
  google: { clientId: '1234-abc.apps.googleusercontent.com', clientSecret: { secretsManager: SECRET, jsonKey: 'googleClientSecret' } },
  apple: {
    clientId: 'com.example.web',
    teamId: 'ABCDE12345',
    keyId: { ssm: '/tenantgate/test/apple-key-id' },
    privateKey: { secretsManager: APPLE_SECRET_ARN, jsonKey: 'applePrivateKey' },
  },
  facebook: { clientId: '1029384756', clientSecret: { secretsManager: SECRET, jsonKey: 'facebookAppSecret' }, apiVersion: 'v17.0' },
  amazon: { clientId: 'amzn1.application-oa2-client.abc', clientSecret: { secretsManager: SECRET, jsonKey: 'amazonClientSecret' } },
  oidc: {
    name: 'Okta',
    issuer: 'https://example.okta.com',
    clientId: 'okta-client',
    clientSecret: { secretsManager: SECRET, jsonKey: 'oktaClientSecret' },
  },
  saml: { name: 'Entra', metadataUrl: 'https://login.example.com/federationmetadata.xml' },
};

const TENANT_PROVIDER = `t-${'a'.repeat(26)}`;

const identityProviders = (template: CfnTemplate) => resourcesOfType(template, 'AWS::Cognito::UserPoolIdentityProvider');

/** The client's SupportedIdentityProviders as names: a `Ref` to a provider resource is its ProviderName. */
const clientProviderNames = (template: CfnTemplate): unknown[] => {
  const listed = propertiesOf(template, 'UserPoolClient').SupportedIdentityProviders;
  if (!Array.isArray(listed)) throw new Error('SupportedIdentityProviders is not a list');
  return listed.map((entry) => {
    const id = referencedLogicalId(entry);
    return id === undefined ? entry : propertiesOf(template, id).ProviderName;
  });
};

const providerNamed = (template: CfnTemplate, name: string): Record<string, unknown> => {
  const found = identityProviders(template).find(([, properties]) => properties.ProviderName === name);
  if (!found) throw new Error(`no identity provider named ${name}`);
  return found[1];
};

const withEveryProvider = (stage: (typeof PACKAGED_STAGES)[number]): CfnTemplate =>
  withFederation(readPackagedTemplate(stage), EVERY_PROVIDER);

const expectNoSecretValueIn = (template: CfnTemplate) => {
  const text = JSON.stringify(template);
  for (const value of Object.values(SECRET_VALUES)) {
    expect(text).not.toContain(value);
    expect(text).not.toContain(JSON.stringify(value).slice(1, -1));
  }
  // Every secret a provider takes is a Secrets Manager reference CloudFormation resolves at deploy time.
  for (const [id, properties] of identityProviders(template)) {
    const details = isRecord(properties.ProviderDetails) ? properties.ProviderDetails : {};
    for (const key of ['client_secret', 'private_key'].filter((k) => k in details)) {
      expect(details[key], `${id} ${key}`).toMatch(/^\{\{resolve:secretsmanager:[^{}]+\}\}$/);
    }
  }
};

describe.each(PACKAGED_STAGES)('pool-level identity providers as packaged (%s, no federation in stages.yml)', (stage) => {
  it('has no identity provider, and the app client lists only COGNITO', () => {
    const template = readPackagedTemplate(stage);

    expect(identityProviders(template)).toEqual([]);
    expect(propertiesOf(template, 'UserPoolClient').SupportedIdentityProviders).toEqual(['COGNITO']);
    expect(propertiesOf(template, 'UserPoolClient').WriteAttributes).toEqual(['email']);
  });

  it('wires the invite-only PreSignUp trigger for every sign-up source, federated ones included', () => {
    const lambdaConfig = propertiesOf(readPackagedTemplate(stage), 'UserPool').LambdaConfig;

    // One PreSignUp for the pool: Cognito calls it with PreSignUp_ExternalProvider for a federated sign-up.
    expect(isRecord(lambdaConfig) && lambdaConfig.PreSignUp).toEqual({ 'Fn::GetAtt': ['PreSignUpLambdaFunction', 'Arn'] });
  });
});

describe.each(PACKAGED_STAGES)('every provider switched on (%s)', (stage) => {
  it('makes one identity provider per configured provider, of the right type', () => {
    const template = withEveryProvider(stage);

    expect(Object.fromEntries(identityProviders(template).map(([id, p]) => [id, [p.ProviderName, p.ProviderType]]))).toEqual({
      GoogleIdentityProvider: ['Google', 'Google'],
      AppleIdentityProvider: ['SignInWithApple', 'SignInWithApple'],
      FacebookIdentityProvider: ['Facebook', 'Facebook'],
      AmazonIdentityProvider: ['LoginWithAmazon', 'LoginWithAmazon'],
      OidcIdentityProvider: ['Okta', 'OIDC'],
      SamlIdentityProvider: ['Entra', 'SAML'],
    });
    for (const [, provider] of identityProviders(template)) expect(provider.UserPoolId).toEqual({ Ref: 'UserPool' });
  });

  it('lists COGNITO and exactly those providers on the app client, by Ref so they exist before the client names them', () => {
    const template = withEveryProvider(stage);

    expect(clientProviderNames(template)).toEqual(['COGNITO', 'Google', 'SignInWithApple', 'Facebook', 'LoginWithAmazon', 'Okta', 'Entra']);
    expect(propertiesOf(template, 'UserPoolClient').SupportedIdentityProviders).toContainEqual({ Ref: 'GoogleIdentityProvider' });
  });

  it('lets the client write the mapped name (Cognito rewrites mapped attributes at each federated sign-in), and no custom: attribute', () => {
    const client = propertiesOf(withEveryProvider(stage), 'UserPoolClient');

    expect(client.WriteAttributes).toEqual(['email', 'name']);
    expect(client.ReadAttributes).toEqual(['email', 'email_verified', 'name']);
  });

  it('keeps every template check green: AWS resource schemas and the security rules', () => {
    const violations = violationsIntroducedBy(
      stage,
      (template) => withFederation(template, EVERY_PROVIDER),
      (template) => checkTemplate(template, { production: stage === 'prod' }),
    );

    expect(violations).toEqual([]);
  });

  it('holds no secret value anywhere: each secret is a Secrets Manager reference resolved at deploy time', () => {
    expectNoSecretValueIn(withEveryProvider(stage));
  });
});

describe('what each provider is given', () => {
  const template = withEveryProvider('dev');

  it('Google: client id and a referenced secret; email, its verification and name mapped', () => {
    const google = providerNamed(template, 'Google');

    expect(google.ProviderDetails).toEqual({
      client_id: '1234-abc.apps.googleusercontent.com',
      client_secret: `{{resolve:secretsmanager:${SECRET}:SecretString:googleClientSecret}}`,
      authorize_scopes: 'openid email profile',
    });
    expect(google.AttributeMapping).toEqual({ email: 'email', email_verified: 'email_verified', name: 'name' });
  });

  it('Apple: services id, team id, a key id from an SSM parameter and the private key from a secret by ARN', () => {
    const apple = providerNamed(template, 'SignInWithApple');

    expect(apple.ProviderDetails).toEqual({
      client_id: 'com.example.web',
      team_id: 'ABCDE12345',
      key_id: '{{resolve:ssm:/tenantgate/test/apple-key-id}}',
      private_key: `{{resolve:secretsmanager:${APPLE_SECRET_ARN}:SecretString:applePrivateKey}}`,
      authorize_scopes: 'email name',
    });
    expect(apple.AttributeMapping).toEqual({ email: 'email', email_verified: 'email_verified', name: 'name' });
  });

  it('Facebook and Amazon: no email_verified to map (Cognito then keeps the address unverified)', () => {
    const facebook = providerNamed(template, 'Facebook');
    const amazon = providerNamed(template, 'LoginWithAmazon');

    expect(facebook.ProviderDetails).toEqual({
      client_id: '1029384756',
      client_secret: `{{resolve:secretsmanager:${SECRET}:SecretString:facebookAppSecret}}`,
      authorize_scopes: 'public_profile,email',
      api_version: 'v17.0',
    });
    expect(amazon.ProviderDetails).toEqual({
      client_id: 'amzn1.application-oa2-client.abc',
      client_secret: `{{resolve:secretsmanager:${SECRET}:SecretString:amazonClientSecret}}`,
      authorize_scopes: 'profile',
    });
    expect(facebook.AttributeMapping).toEqual({ email: 'email', name: 'name' });
    expect(amazon.AttributeMapping).toEqual({ email: 'email', name: 'name' });
  });

  it('OIDC: issuer, client id, a referenced secret and the default scopes; SAML: the metadata URL and the usual claim names', () => {
    expect(providerNamed(template, 'Okta').ProviderDetails).toEqual({
      client_id: 'okta-client',
      client_secret: `{{resolve:secretsmanager:${SECRET}:SecretString:oktaClientSecret}}`,
      oidc_issuer: 'https://example.okta.com',
      authorize_scopes: 'openid email profile',
      attributes_request_method: 'GET',
    });
    expect(providerNamed(template, 'Okta').AttributeMapping).toEqual({ email: 'email', email_verified: 'email_verified', name: 'name' });
    expect(providerNamed(template, 'Entra')).toMatchObject({
      ProviderDetails: { MetadataURL: 'https://login.example.com/federationmetadata.xml' },
      AttributeMapping: {
        email: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress',
        name: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name',
      },
    });
  });

  it('takes an OIDC provider’s own scopes, a SAML provider’s own claim names and a pinned secret version', () => {
    const own = withFederation(readPackagedTemplate('dev'), {
      oidc: { ...EVERY_PROVIDER.oidc, scopes: ['openid', 'email'], clientSecret: { secretsManager: SECRET, versionId: 'a'.repeat(36) } },
      saml: { ...EVERY_PROVIDER.saml, emailAttribute: 'mail', nameAttribute: 'displayName' },
    });

    expect(providerNamed(own, 'Okta').ProviderDetails).toMatchObject({
      authorize_scopes: 'openid email',
      client_secret: `{{resolve:secretsmanager:${SECRET}:SecretString:::${'a'.repeat(36)}}}`,
    });
    expect(providerNamed(own, 'Entra').AttributeMapping).toEqual({ email: 'mail', name: 'displayName' });
  });

  it('makes only the providers a stage configures', () => {
    const googleOnly = withFederation(readPackagedTemplate('prod'), { google: EVERY_PROVIDER.google });

    expect(identityProviders(googleOnly).map(([id]) => id)).toEqual(['GoogleIdentityProvider']);
    expect(clientProviderNames(googleOnly)).toEqual(['COGNITO', 'Google']);
  });
});

describe('the stage guard’s check of federation settings', () => {
  it('accepts no settings, and every provider configured with references', () => {
    expect(federationProblems(undefined)).toEqual([]);
    expect(federationProblems(null)).toEqual([]);
    expect(federationProblems(EVERY_PROVIDER)).toEqual([]);
  });

  it('refuses a secret written as a value, whatever it looks like', () => {
    const problems = federationProblems({
      google: { ...EVERY_PROVIDER.google, clientSecret: SECRET_VALUES.googleClientSecret },
      apple: { ...EVERY_PROVIDER.apple, privateKey: SECRET_VALUES.applePrivateKey },
    });

    expect(problems).toEqual([
      expect.stringMatching(/^federation\.google\.clientSecret is a secret and must not be written in stages\.yml/),
      expect.stringMatching(/^federation\.apple\.privateKey is a secret and must not be written in stages\.yml/),
    ]);
    expect(() => withFederation(readPackagedTemplate('dev'), { google: { ...EVERY_PROVIDER.google, clientSecret: 'x' } })).toThrow(
      /clientSecret is a secret/,
    );
  });

  it('refuses a secret from SSM: CloudFormation resolves ssm-secure for no Cognito resource, and plain String parameters are not encrypted', () => {
    const problems = federationProblems({ oidc: { ...EVERY_PROVIDER.oidc, clientSecret: { ssm: '/tenantgate/okta-secret' } } });

    expect(problems).toEqual([expect.stringMatching(/^federation\.oidc\.clientSecret names an SSM parameter/)]);
  });

  it('refuses a secret placed under a setting the provider does not have, and an unknown provider', () => {
    const problems = federationProblems({
      google: { clientId: 'id', client_secret: 'shh', clientSecret: { secretsManager: SECRET } },
      github: { clientId: 'id' },
    });

    expect(problems).toEqual([
      expect.stringMatching(/^federation\.google\.client_secret is not a setting of google/),
      expect.stringMatching(/^federation\.github is not a provider this stack knows/),
    ]);
  });

  it('refuses a missing required setting, an issuer that is not https and names Cognito or the tenants use', () => {
    const problems = federationProblems({
      amazon: { clientSecret: { secretsManager: SECRET } },
      oidc: { ...EVERY_PROVIDER.oidc, name: 'Google', issuer: 'http://example.okta.com' },
      saml: { ...EVERY_PROVIDER.saml, name: 't-acme' },
    });

    expect(problems).toEqual([
      'federation.amazon.clientId is required',
      'federation.oidc.name "Google" is a name Cognito reserves',
      'federation.oidc.issuer "http://example.okta.com" must be an https URL',
      'federation.saml.name "t-acme" starts with "t-", the prefix of the tenants\' own providers',
    ]);
  });
});

describe('a deploy keeps the tenants’ own providers on the app client', () => {
  it('adds the tenant providers the deployed client lists, and nothing else it lists', () => {
    const template = withFederation(readPackagedTemplate('prod'), { google: EVERY_PROVIDER.google });

    keepTenantProviders(template, ['COGNITO', 'Google', 'Facebook', TENANT_PROVIDER]);

    // Facebook is no longer configured: CloudFormation removes it after the client stops listing it.
    expect(clientProviderNames(template)).toEqual(['COGNITO', 'Google', TENANT_PROVIDER]);
  });

  it('changes nothing for a client that lists no tenant provider, or before the first deploy', () => {
    const template = readPackagedTemplate('dev');

    keepTenantProviders(template, ['COGNITO']);
    keepTenantProviders(template, undefined);

    expect(propertiesOf(template, 'UserPoolClient').SupportedIdentityProviders).toEqual(['COGNITO']);
  });
});

/**
 * End to end: `serverless package` of a copy of the service whose stages.yml
 * configures the providers, through serverless.yml's custom.federation and the
 * stage guard, as a deploy would build it.
 */
describe('packaging a stage whose stages.yml switches the providers on', () => {
  const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
  let workDir = '';
  let packaged: CfnTemplate;
  let refusal: unknown;

  beforeAll(async () => {
    workDir = await mkdtemp(path.join(os.tmpdir(), 'tenantgate-federation-'));
    const service = path.join(workDir, 'service');
    const skipped = /^(node_modules|\.git|\.local|\.cognito|\.serverless.*|\.esbuild.*|\.build|coverage|dist)$/;
    for (const entry of await readdir(projectRoot)) {
      if (!skipped.test(entry)) await cp(path.join(projectRoot, entry), path.join(service, entry), { recursive: true });
    }
    await symlink(path.join(projectRoot, 'node_modules'), path.join(service, 'node_modules'), 'dir');
    const stages = await readFile(path.join(projectRoot, 'stages.yml'), 'utf8');
    const leaky = { google: { clientId: 'id', clientSecret: SECRET_VALUES.googleClientSecret } };
    await writeFile(
      path.join(service, 'stages.yml'),
      `${stages}\nfedtest: ${JSON.stringify({ federation: EVERY_PROVIDER })}\nleaky: ${JSON.stringify({ federation: leaky })}\n`,
    );
    const [ok, refused] = await Promise.allSettled([
      packageServiceOffline({ projectRoot: service, workDir, stage: 'fedtest' }),
      packageServiceOffline({ projectRoot: service, workDir, stage: 'leaky' }),
    ]);
    if (ok.status === 'rejected') throw ok.reason;
    packaged = JSON.parse(await readFile(ok.value.templatePath, 'utf8')) as CfnTemplate;
    refusal = refused.status === 'rejected' ? refused.reason : undefined;
  }, 180_000);

  afterAll(async () => {
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('builds the same providers and client list as the rules above', () => {
    const expected = withEveryProvider('dev');

    expect(Object.fromEntries(identityProviders(packaged))).toEqual(Object.fromEntries(identityProviders(expected)));
    expect(clientProviderNames(packaged)).toEqual(clientProviderNames(expected));
  });

  it('holds no secret value, and passes every template check', () => {
    expectNoSecretValueIn(packaged);
    expect(stringLeaves(packaged, '').filter(({ text }) => text.includes('{{resolve:ssm-secure'))).toEqual([]);
    expect(checkTemplate(packaged, { production: false })).toEqual([]);
  });

  it('refuses to package a stage whose stages.yml writes a secret instead of naming it', () => {
    expect(String(refusal)).toContain('federation.google.clientSecret is a secret and must not be written in stages.yml');
    expect(String(refusal)).not.toContain(SECRET_VALUES.googleClientSecret);
  });
});
