import fs from 'node:fs';
import path from 'node:path';
import {
  AdminDisableUserCommand,
  AdminGetUserCommand,
  AdminLinkProviderForUserCommand,
  CreateIdentityProviderCommand,
  CreateUserPoolClientCommand,
  DeleteIdentityProviderCommand,
  DescribeIdentityProviderCommand,
  DescribeUserPoolClientCommand,
  ListIdentityProvidersCommand,
  ListUsersCommand,
  UpdateIdentityProviderCommand,
  UpdateUserPoolClientCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { beforeAll, describe, expect, it } from 'vitest';
import { subjectFor } from '../../../scripts/local/oidc-idp';
import { api } from '../support/api';
import { cognito, decodeJwt } from '../support/cognito';
import { authorizeUrlFor, defaultRedirectUri, federatedSignIn } from '../support/federation';
import { stack, stateDir, uniqueEmail } from '../support/stack';
import { tenantWithOwner } from '../support/world';

const UserPoolId = stack.cognito.userPoolId;
const suffix = Math.random().toString(36).slice(2, 8);
const [acme, globex] = stack.oidcIdp.clients;
if (!acme || !globex) throw new Error('the local identity provider has no clients');

const oidcDetails = (client: { clientId: string; clientSecret: string }) => ({
  client_id: client.clientId,
  client_secret: client.clientSecret,
  authorize_scopes: 'openid email profile',
  oidc_issuer: stack.oidcIdp.issuer,
  attributes_request_method: 'GET',
});
const mapping = { email: 'email', email_verified: 'email_verified', name: 'name' };

const createProvider = (ProviderName: string, client = acme) =>
  cognito.send(
    new CreateIdentityProviderCommand({
      UserPoolId,
      ProviderName,
      ProviderType: 'OIDC',
      ProviderDetails: oidcDetails(client),
      AttributeMapping: mapping,
    }),
  );

const errorOf = async (promise: Promise<unknown>): Promise<{ name: string; message: string }> => {
  try {
    await promise;
  } catch (err) {
    return { name: (err as Error).name, message: (err as Error).message };
  }
  throw new Error('expected a refusal');
};

const triggerSources = (userName: string): string[] =>
  fs
    .readFileSync(path.join(stateDir, 'logs', 'cognito-triggers.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { triggerSource: string; userName: string })
    .filter((entry) => entry.userName === userName)
    .map((entry) => entry.triggerSource);

/** A client of the pool with the hosted login and these providers (the app's own client stays as provisioned). */
const federatedClient = async (providers: string[]): Promise<string> => {
  const out = await cognito.send(
    new CreateUserPoolClientCommand({
      UserPoolId,
      ClientName: `federation-${suffix}`,
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'email', 'profile'],
      CallbackURLs: [defaultRedirectUri()],
      SupportedIdentityProviders: ['COGNITO', ...providers],
    }),
  );
  const id = out.UserPoolClient?.ClientId;
  if (!id) throw new Error('no client');
  return id;
};

describe('the Cognito emulator’s identity providers', () => {
  it('creates an OIDC provider with the endpoints of its issuer’s discovery document, and describes, lists, updates and deletes it', async () => {
    // Prepare
    const name = `Crud${suffix}`;

    // Act
    await createProvider(name);
    const described = await cognito.send(new DescribeIdentityProviderCommand({ UserPoolId, ProviderName: name }));
    const updated = await cognito.send(
      new UpdateIdentityProviderCommand({ UserPoolId, ProviderName: name, AttributeMapping: { email: 'email' } }),
    );
    const listed = await cognito.send(new ListIdentityProvidersCommand({ UserPoolId }));
    await cognito.send(new DeleteIdentityProviderCommand({ UserPoolId, ProviderName: name }));
    const afterDelete = await errorOf(cognito.send(new DescribeIdentityProviderCommand({ UserPoolId, ProviderName: name })));

    // Assess
    const details = described.IdentityProvider?.ProviderDetails ?? {};
    expect(details.authorize_url).toBe(`${stack.oidcIdp.issuer}/auth`);
    expect(details.token_url).toBe(`${stack.oidcIdp.issuer}/token`);
    expect(details.jwks_uri).toBe(`${stack.oidcIdp.issuer}/jwks`);
    expect(details.attributes_url).toBe(`${stack.oidcIdp.issuer}/me`);
    expect(details.client_secret).toBe(acme.clientSecret);
    expect(updated.IdentityProvider?.AttributeMapping).toEqual({ username: 'sub', email: 'email' });
    expect(listed.Providers?.map((p) => p.ProviderName)).toContain(name);
    expect(afterDelete.name).toBe('ResourceNotFoundException');
  });

  it('refuses a second provider of the same name, a name outside Cognito’s pattern, missing details and an issuer that cannot be loaded', async () => {
    const name = `Dup${suffix}`;
    await createProvider(name);

    expect((await errorOf(createProvider(name))).name).toBe('DuplicateProviderException');
    expect((await errorOf(createProvider(`_bad${suffix}`))).name).toBe('InvalidParameterException');
    expect((await errorOf(createProvider('x'.repeat(33)))).name).toBe('InvalidParameterException');
    const missing = cognito.send(
      new CreateIdentityProviderCommand({
        UserPoolId,
        ProviderName: `Miss${suffix}`,
        ProviderType: 'OIDC',
        ProviderDetails: { client_id: 'x' },
      }),
    );
    expect((await errorOf(missing)).name).toBe('InvalidParameterException');
    const unreachable = cognito.send(
      new CreateIdentityProviderCommand({
        UserPoolId,
        ProviderName: `Gone${suffix}`,
        ProviderType: 'OIDC',
        ProviderDetails: { ...oidcDetails(acme), oidc_issuer: 'http://127.0.0.1:1' },
      }),
    );
    expect((await errorOf(unreachable)).name).toBe('InvalidParameterException');
    const unknown = cognito.send(new DeleteIdentityProviderCommand({ UserPoolId, ProviderName: `Never${suffix}` }));
    expect((await errorOf(unknown)).name).toBe('ResourceNotFoundException');
  });

  it('refuses an app client that names a provider the pool does not have', async () => {
    const clientId = await federatedClient([]);
    const current = await cognito.send(new DescribeUserPoolClientCommand({ UserPoolId, ClientId: clientId }));

    const update = cognito.send(
      new UpdateUserPoolClientCommand({
        UserPoolId,
        ClientId: clientId,
        CallbackURLs: current.UserPoolClient?.CallbackURLs,
        SupportedIdentityProviders: ['COGNITO', `Unknown${suffix}`],
      }),
    );
    const create = cognito.send(
      new CreateUserPoolClientCommand({ UserPoolId, ClientName: 'x', SupportedIdentityProviders: [`Unknown${suffix}`] }),
    );

    expect(await errorOf(update)).toEqual({
      name: 'InvalidParameterException',
      message: `The provider Unknown${suffix} does not exist for User Pool ${UserPoolId}`,
    });
    expect((await errorOf(create)).name).toBe('InvalidParameterException');
  });
});

describe('a federated sign-in through the emulator’s hosted login', () => {
  const provider = `Acme${suffix}`;
  let clientId = '';
  const authorize = (name = provider) => authorizeUrlFor(name, defaultRedirectUri(), clientId);

  beforeAll(async () => {
    await createProvider(provider);
    clientId = await federatedClient([provider]);
  });

  it('is refused by PreSignUp_ExternalProvider without an invite, and creates no user', async () => {
    const email = uniqueEmail('uninvited-sso');

    const result = await federatedSignIn(authorize(), { email });

    expect(result).toMatchObject({ error: 'invalid_request' });
    expect('errorDescription' in result && result.errorDescription).toMatch(/^PreSignUp failed with error .+\. $/);
    const users = await cognito.send(new ListUsersCommand({ UserPoolId, Filter: `email = "${email}"` }));
    expect(users.Users ?? []).toHaveLength(0);
  });

  it('with a pending invite creates the user, runs PreSignUp, PostConfirmation and PreTokenGeneration, and returns tokens with tenant claims', async () => {
    // Prepare: an invite for the address the provider will assert
    const { tenantId, owner } = await tenantWithOwner('Federation');
    const email = uniqueEmail('invited-sso');
    const invite = await api(`/tenants/${tenantId}/invites`, { method: 'POST', token: owner.accessToken, body: { email, role: 'member' } });
    expect(invite.status).toBe(201);

    // Act
    const result = await federatedSignIn(authorize(), { email, name: 'Ada Federated' });

    // Assess
    if (!('tokens' in result)) throw new Error(`sign-in refused: ${result.error} ${result.errorDescription}`);
    const id = decodeJwt(result.tokens.idToken);
    const access = decodeJwt(result.tokens.accessToken);
    const username = String(id['cognito:username']);
    expect(username).toMatch(new RegExp(`^${provider}_[0-9a-f]{32}$`));
    expect(id.email).toBe(email);
    expect(id.identities).toEqual([
      expect.objectContaining({
        providerName: provider,
        providerType: 'OIDC',
        primary: 'true',
        userId: username.slice(provider.length + 1),
      }),
    ]);
    expect(id.tenant_id).toBe(tenantId);
    expect(access.tenant_role).toBe('member');
    const user = await cognito.send(new AdminGetUserCommand({ UserPoolId, Username: username }));
    expect(user.UserStatus).toBe('EXTERNAL_PROVIDER');
    expect(user.UserAttributes?.find((a) => a.Name === 'name')?.Value).toBe('Ada Federated');
    expect(triggerSources(username)).toEqual(
      expect.arrayContaining([
        'PreSignUp_ExternalProvider',
        'PostConfirmation_ConfirmSignUp',
        'PostAuthentication_Authentication',
        'TokenGeneration_HostedAuth',
      ]),
    );

    // A second sign-in is the same user, not a new sign-up.
    const again = await federatedSignIn(authorize(), { email });
    if (!('tokens' in again)) throw new Error(`second sign-in refused: ${again.error}`);
    expect(decodeJwt(again.tokens.idToken)['cognito:username']).toBe(username);
    expect(triggerSources(username).filter((s) => s === 'PreSignUp_ExternalProvider')).toHaveLength(1);
  });

  it('refuses an invited address the provider says is unverified', async () => {
    const { tenantId, owner } = await tenantWithOwner('Federation unverified');
    const email = uniqueEmail('unverified-sso');
    await api(`/tenants/${tenantId}/invites`, { method: 'POST', token: owner.accessToken, body: { email, role: 'member' } });

    const result = await federatedSignIn(authorize(), { email, emailVerified: false });

    expect(result).toMatchObject({ error: 'invalid_request' });
  });

  it('signs in as the native user an identity was linked to (AdminLinkProviderForUser), and refuses it once disabled', async () => {
    // Prepare: an owner with a password account, linked to the provider's identity for the same address
    const { tenantId, owner } = await tenantWithOwner('Federation linked');
    const link = (value: string) =>
      cognito.send(
        new AdminLinkProviderForUserCommand({
          UserPoolId,
          DestinationUser: { ProviderName: 'Cognito', ProviderAttributeValue: owner.userId },
          SourceUser: { ProviderName: provider, ProviderAttributeName: 'Cognito_Subject', ProviderAttributeValue: value },
        }),
      );
    await link(subjectFor(owner.email));

    // Act
    const result = await federatedSignIn(authorize(), { email: owner.email });
    const again = await errorOf(link(subjectFor(owner.email)));
    await cognito.send(new AdminDisableUserCommand({ UserPoolId, Username: owner.userId }));
    const disabled = await federatedSignIn(authorize(), { email: owner.email });

    // Assess
    if (!('tokens' in result)) throw new Error(`linked sign-in refused: ${result.error} ${result.errorDescription}`);
    const id = decodeJwt(result.tokens.idToken);
    expect(id['cognito:username']).toBe(owner.userId);
    expect(id.tenant_id).toBe(tenantId);
    expect(id.identities).toEqual([expect.objectContaining({ providerName: provider, primary: 'false', userId: subjectFor(owner.email) })]);
    expect(again.name).toBe('InvalidParameterException');
    expect(disabled).toEqual({ error: 'invalid_request', errorDescription: 'User is disabled.' });
  });

  it('refuses a wrong PKCE verifier, a made-up code, and a state the emulator did not issue', async () => {
    const email = uniqueEmail('pkce-sso');
    // Refused at PreSignUp or not, the token exchange is what is checked: use an invited address.
    const { tenantId, owner } = await tenantWithOwner('Federation PKCE');
    await api(`/tenants/${tenantId}/invites`, { method: 'POST', token: owner.accessToken, body: { email, role: 'viewer' } });

    const wrongVerifier = await federatedSignIn(authorize(), { email, tamper: { codeVerifier: 'x'.repeat(43) } });
    const madeUp = await federatedSignIn(authorize(), { email, tamper: { code: () => 'not-a-code' } });
    const badState = await fetch(`${stack.cognito.endpoint}/oauth2/idpresponse?code=abc&state=forged`, { redirect: 'manual' });

    expect(wrongVerifier).toMatchObject({ error: 'invalid_grant' });
    expect(madeUp).toMatchObject({ error: 'invalid_grant' });
    expect(badState.status).toBe(400);
  });

  it('refuses a provider the client does not support, and a provider that has been deleted', async () => {
    const other = `Globex${suffix}`;
    await createProvider(other, globex);
    const unsupported = await fetch(authorizeUrlWithPkce(authorize(other)), { redirect: 'manual' });

    const doomed = `Doomed${suffix}`;
    await createProvider(doomed);
    const doomedClient = await federatedClient([doomed]);
    await cognito.send(new DeleteIdentityProviderCommand({ UserPoolId, ProviderName: doomed }));
    const deleted = await fetch(authorizeUrlWithPkce(authorizeUrlFor(doomed, defaultRedirectUri(), doomedClient)), { redirect: 'manual' });

    expect(unsupported.status).toBe(400);
    expect(deleted.status).toBe(400);
  });
});

const authorizeUrlWithPkce = (authorize: string): string => {
  const url = new URL(authorize);
  url.searchParams.set('code_challenge', 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  url.searchParams.set('code_challenge_method', 'S256');
  url.searchParams.set('state', 'abc');
  return url.toString();
};
