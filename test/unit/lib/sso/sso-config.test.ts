import { describe, expect, it } from 'vitest';
import { ssoConfigSchema, ssoInputSchema } from '../../../../src/lib/sso/sso-config';

const oidc = {
  type: 'oidc',
  issuer: 'https://idp.acme.test',
  clientId: 'tenantgate',
  clientSecret: 's3cret',
  defaultRole: 'member',
  enforce: false,
};
const saml = { type: 'saml', metadataUrl: 'https://idp.acme.test/metadata', defaultRole: 'viewer', enforce: true };

describe('the SSO input', () => {
  it('takes an OIDC configuration', () => {
    expect(ssoInputSchema.parse(oidc)).toEqual(oidc);
  });

  it('takes a SAML configuration by URL or by inline metadata', () => {
    expect(ssoInputSchema.safeParse(saml).success).toBe(true);
    const { metadataUrl: _, ...rest } = saml;
    expect(ssoInputSchema.safeParse({ ...rest, metadataXml: '<EntityDescriptor/>' }).success).toBe(true);
  });

  it('refuses SAML with both or neither of metadataUrl and metadataXml', () => {
    const { metadataUrl: _, ...neither } = saml;
    expect(ssoInputSchema.safeParse({ ...saml, metadataXml: '<x/>' }).success).toBe(false);
    expect(ssoInputSchema.safeParse(neither).success).toBe(false);
  });

  it('never lets SSO mint an owner', () => {
    expect(ssoInputSchema.safeParse({ ...oidc, defaultRole: 'owner' }).success).toBe(false);
  });

  it('refuses unknown fields, an unknown type and fields of the other type', () => {
    expect(ssoInputSchema.safeParse({ ...oidc, extra: 1 }).success).toBe(false);
    expect(ssoInputSchema.safeParse({ ...oidc, type: 'ldap' }).success).toBe(false);
    expect(ssoInputSchema.safeParse({ ...saml, clientId: 'x' }).success).toBe(false);
  });

  it('refuses an issuer that is not an http(s) URL, or has a query or fragment', () => {
    for (const issuer of ['ftp://idp.acme.test', 'idp.acme.test', 'https://idp.acme.test/?tenant=1', 'https://idp.acme.test/#x']) {
      expect(ssoInputSchema.safeParse({ ...oidc, issuer }).success, issuer).toBe(false);
    }
  });

  it('requires enforce as a boolean and a secret for OIDC', () => {
    expect(ssoInputSchema.safeParse({ ...oidc, enforce: 'yes' }).success).toBe(false);
    const { clientSecret: _, ...noSecret } = oidc;
    expect(ssoInputSchema.safeParse(noSecret).success).toBe(false);
  });
});

describe('the SSO configuration as answered', () => {
  it('has no field for the client secret', () => {
    const answered = ssoConfigSchema.parse({
      ...oidc,
      providerName: 't-abcdefghijklmnopqrstuvwxyz',
      createdAt: '2026-03-01T09:30:00.000Z',
      updatedAt: '2026-03-01T09:30:00.000Z',
    });
    expect(answered).not.toHaveProperty('clientSecret');
  });
});
