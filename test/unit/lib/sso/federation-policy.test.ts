import { describe, expect, it } from 'vitest';
import {
  decideFederatedSignUp,
  emailDomainOf,
  externalIdentityOf,
  federatedTokenAllowed,
  isOwnSignIn,
  refusedByEnforcement,
  type TenantSso,
  tenantIdentityOf,
  tenantProvidersOf,
} from '../../../../src/lib/sso/federation-policy';
import { tenantProviderName } from '../../../../src/lib/sso/provider-name';

const A = 'tenant-a';
const ssoOfA: TenantSso = { tenantId: A, providerName: tenantProviderName(A), type: 'oidc', defaultRole: 'member', enforce: false };
const base = { sso: ssoOfA, email: 'ann@a.example', emailVerified: 'true', domainOwner: A, existingAccount: undefined };

describe('a tenant provider name', () => {
  it('is derived from the tenant id alone, fits Cognito (≤ 32, no underscore) and differs per tenant', () => {
    const name = tenantProviderName(A);
    expect(name).toBe(tenantProviderName(A));
    expect(name).not.toBe(tenantProviderName('tenant-b'));
    expect(name).toMatch(/^t-[a-z2-7]{26}$/);
    expect(name.length).toBeLessThanOrEqual(32);
  });
});

describe('the identity in a federated user name', () => {
  it('splits at the first underscore, keeping underscores of the subject', () => {
    expect(externalIdentityOf('Google_1234_5')).toEqual({ providerName: 'Google', subject: '1234_5' });
  });
  it('is none for a password account or a malformed name', () => {
    for (const name of ['4f1c2d3e-aaaa-bbbb-cccc-000000000000', '_x', 'Google_', 'plain']) expect(externalIdentityOf(name)).toBeUndefined();
  });
  it('is a tenant identity only for a tenant provider name', () => {
    expect(tenantIdentityOf(`${tenantProviderName(A)}_abc`)).toEqual({ providerName: tenantProviderName(A), subject: 'abc' });
    expect(tenantIdentityOf('Google_abc')).toBeUndefined();
    expect(tenantIdentityOf('t-short_abc')).toBeUndefined();
  });
});

describe('the domain of an email', () => {
  it('is the lowercased part after the last @', () => {
    expect(emailDomainOf('Ann@A.Example.')).toBe('a.example');
    expect(emailDomainOf('"a@b"@c.example')).toBe('c.example');
  });
  it('is none without a local part or a domain', () => {
    for (const email of [undefined, '', '@a.example', 'ann@', 'ann']) expect(emailDomainOf(email)).toBeUndefined();
  });
});

describe('a first sign-in through a tenant provider', () => {
  it('creates a member of the provider’s tenant when the verified email is in a domain that tenant verified', () => {
    expect(decideFederatedSignUp(base)).toEqual({ kind: 'create', tenantId: A });
  });
  it('is refused when no tenant owns the provider (SSO deleted)', () => {
    expect(decideFederatedSignUp({ ...base, sso: undefined })).toEqual({ kind: 'refuse', reason: 'no-owner' });
  });
  it('is refused for an email in another tenant’s domain or in no verified domain', () => {
    expect(decideFederatedSignUp({ ...base, domainOwner: 'tenant-b' })).toMatchObject({ reason: 'foreign-domain' });
    expect(decideFederatedSignUp({ ...base, domainOwner: undefined })).toMatchObject({ reason: 'foreign-domain' });
  });
  it('is refused for an OIDC email the provider does not say is verified', () => {
    expect(decideFederatedSignUp({ ...base, emailVerified: 'false' })).toMatchObject({ reason: 'unverified-email' });
    expect(decideFederatedSignUp({ ...base, emailVerified: undefined })).toMatchObject({ reason: 'unverified-email' });
  });
  it('takes a SAML email without email_verified, the verified domain vouching for it', () => {
    expect(decideFederatedSignUp({ ...base, sso: { ...ssoOfA, type: 'saml' }, emailVerified: undefined })).toMatchObject({
      kind: 'create',
    });
  });
  it('is refused without an email', () => {
    expect(decideFederatedSignUp({ ...base, email: undefined })).toMatchObject({ reason: 'no-email' });
  });
  it('links an existing password account that belongs to no tenant but the provider’s', () => {
    const existingAccount = { username: 'u-1', userId: 'sub-1', memberships: [{ tenantId: A, role: 'member' as const }] };
    expect(decideFederatedSignUp({ ...base, existingAccount })).toEqual({
      kind: 'link',
      tenantId: A,
      username: 'u-1',
      userId: 'sub-1',
      joins: false,
    });
  });
  it('links an account of no tenant yet, which then joins the provider’s tenant', () => {
    const existingAccount = { username: 'u-1', userId: 'sub-1', memberships: [] };
    expect(decideFederatedSignUp({ ...base, existingAccount })).toMatchObject({ kind: 'link', joins: true });
  });
  it.each(['owner', 'admin'] as const)('never links an %s’s account: the provider would sign in as them, past their MFA', (role) => {
    const existingAccount = { username: 'u-1', userId: 'sub-1', memberships: [{ tenantId: A, role }] };
    expect(decideFederatedSignUp({ ...base, existingAccount })).toMatchObject({ kind: 'refuse', reason: 'privileged-account' });
  });
  it('never links an account that belongs to another tenant too: A’s provider never opens B', () => {
    const existingAccount = {
      username: 'u-1',
      userId: 'sub-1',
      memberships: [
        { tenantId: A, role: 'member' as const },
        { tenantId: 'tenant-b', role: 'viewer' as const },
      ],
    };
    expect(decideFederatedSignUp({ ...base, existingAccount })).toMatchObject({ kind: 'refuse', reason: 'member-elsewhere' });
  });
});

describe('a later token of a tenant provider’s user', () => {
  it('is allowed only while the provider is the tenant’s and the email’s domain still verified by it', () => {
    expect(federatedTokenAllowed(ssoOfA, A)).toBe(true);
    expect(federatedTokenAllowed(undefined, A)).toBe(false);
    expect(federatedTokenAllowed(ssoOfA, undefined)).toBe(false);
    expect(federatedTokenAllowed(ssoOfA, 'tenant-b')).toBe(false);
  });
});

describe('an own sign-in (refused where SSO is enforced)', () => {
  it('is a password, code or passkey sign-in, never a hosted (federated) one or a refresh', () => {
    expect(isOwnSignIn('TokenGeneration_Authentication')).toBe(true);
    expect(isOwnSignIn('TokenGeneration_NewPasswordChallenge')).toBe(true);
    expect(isOwnSignIn('TokenGeneration_HostedAuth')).toBe(false);
    expect(isOwnSignIn('TokenGeneration_RefreshTokens')).toBe(false);
  });
});

describe('enforcement', () => {
  const enforcing = { ...ssoOfA, enforce: true };
  it('refuses own sign-ins, and hosted sign-ins without an identity of the enforcing provider (its password form, Google)', () => {
    expect(refusedByEnforcement('TokenGeneration_Authentication', [ssoOfA.providerName], enforcing)).toBe(true);
    expect(refusedByEnforcement('TokenGeneration_HostedAuth', [], enforcing)).toBe(true);
    expect(refusedByEnforcement('TokenGeneration_HostedAuth', [tenantProviderName('tenant-b')], enforcing)).toBe(true);
  });
  it("lets a hosted sign-in of the enforcing provider's user and any refresh through", () => {
    expect(refusedByEnforcement('TokenGeneration_HostedAuth', [ssoOfA.providerName], enforcing)).toBe(false);
    expect(refusedByEnforcement('TokenGeneration_RefreshTokens', [], enforcing)).toBe(false);
  });
});

describe('the tenant providers of a user', () => {
  it('are the one in the user name and those linked in Cognito’s identities attribute', () => {
    const linked = JSON.stringify([
      { providerName: tenantProviderName(A), userId: 's1' },
      { providerName: 'Google', userId: 's2' },
    ]);
    expect(tenantProvidersOf('c0ffee00-0000-4000-8000-000000000001', linked)).toEqual([tenantProviderName(A)]);
    expect(tenantProvidersOf(`${tenantProviderName('tenant-b')}_x`, undefined)).toEqual([tenantProviderName('tenant-b')]);
  });
  it('are none for malformed identities', () => {
    expect(tenantProvidersOf('u', 'not json')).toEqual([]);
    expect(tenantProvidersOf('u', '{"providerName":"x"}')).toEqual([]);
    expect(tenantProvidersOf('u', '[null, 3]')).toEqual([]);
  });
});
