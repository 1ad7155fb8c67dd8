import { describe, expect, it } from 'vitest';
import { providerSpec, SAML_EMAIL_CLAIM, SAML_NAME_CLAIM } from '../../../../src/lib/sso/configure-sso';

describe("what Cognito is told about a tenant's provider", () => {
  it('maps OIDC to the issuer, the client and the standard claims', () => {
    const spec = providerSpec({
      type: 'oidc',
      issuer: 'https://idp.acme.test',
      clientId: 'tg',
      clientSecret: 's3cret',
      defaultRole: 'member',
      enforce: false,
    });

    expect(spec).toEqual({
      type: 'OIDC',
      details: {
        client_id: 'tg',
        client_secret: 's3cret',
        authorize_scopes: 'openid email profile',
        oidc_issuer: 'https://idp.acme.test',
        attributes_request_method: 'GET',
      },
      attributeMapping: { email: 'email', email_verified: 'email_verified', name: 'name' },
    });
  });

  it('maps SAML by metadata URL or file, with no email_verified (the verified domain vouches instead)', () => {
    const byUrl = providerSpec({ type: 'saml', metadataUrl: 'https://idp.acme.test/md', defaultRole: 'viewer', enforce: true });
    const byFile = providerSpec({ type: 'saml', metadataXml: '<EntityDescriptor/>', defaultRole: 'viewer', enforce: true });

    expect(byUrl.details).toEqual({ MetadataURL: 'https://idp.acme.test/md', IDPSignout: 'false' });
    expect(byFile.details).toEqual({ MetadataFile: '<EntityDescriptor/>', IDPSignout: 'false' });
    expect(byUrl.attributeMapping).toEqual({ email: SAML_EMAIL_CLAIM, name: SAML_NAME_CLAIM });
  });
});
