import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../../src/lib/errors';
import { checkDiscoveryDocument, discoveryUrl } from '../../../../src/lib/sso/oidc-discovery';
import { checkSamlMetadata } from '../../../../src/lib/sso/saml-metadata';
import { discoveryDocument, SIGNING_CERT, samlMetadata } from './sso-fixtures';

const ISSUER = 'https://idp.acme.test';
const detailOf = (run: () => unknown): string => {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    return (err as ValidationError).detail;
  }
  throw new Error('expected a refusal');
};

describe('an OIDC discovery document', () => {
  it('is fetched from the issuer with the well-known path appended', () => {
    expect(discoveryUrl('https://idp.acme.test/realms/acme/')).toBe('https://idp.acme.test/realms/acme/.well-known/openid-configuration');
  });

  it('is accepted when well formed for its issuer', () => {
    expect(checkDiscoveryDocument(ISSUER, JSON.stringify(discoveryDocument(ISSUER))).jwks_uri).toBe(`${ISSUER}/jwks`);
  });

  it('is refused when it names another issuer', () => {
    expect(detailOf(() => checkDiscoveryDocument(ISSUER, JSON.stringify(discoveryDocument('https://evil.test'))))).toMatch(
      /names another issuer/,
    );
  });

  it('is refused when it is not JSON', () => {
    expect(detailOf(() => checkDiscoveryDocument(ISSUER, '<html>'))).toMatch(/is not JSON/);
  });

  it('is refused, naming the field, when an endpoint is missing or not a URL', () => {
    const { jwks_uri: _, ...noJwks } = discoveryDocument(ISSUER);
    expect(detailOf(() => checkDiscoveryDocument(ISSUER, JSON.stringify(noJwks)))).toMatch(/not well formed \(jwks_uri\)/);
    const badToken = discoveryDocument(ISSUER, { token_endpoint: 'not a url' });
    expect(detailOf(() => checkDiscoveryDocument(ISSUER, JSON.stringify(badToken)))).toMatch(/token_endpoint/);
  });

  it('is refused when the authorization code flow is not supported', () => {
    const implicitOnly = discoveryDocument(ISSUER, { response_types_supported: ['id_token'] });
    expect(detailOf(() => checkDiscoveryDocument(ISSUER, JSON.stringify(implicitOnly)))).toMatch(/authorization code/);
  });
});

describe('SAML metadata', () => {
  it('is accepted with an IdP SSO service and a signing certificate', () => {
    expect(checkSamlMetadata(samlMetadata(), 'metadataXml')).toEqual({
      entityId: 'https://idp.acme.test/metadata',
      ssoUrl: 'https://idp.acme.test/sso',
    });
  });

  it('accepts a KeyDescriptor with no use (signing and encryption)', () => {
    const keys = `<md:KeyDescriptor><KeyInfo><X509Data><X509Certificate>${SIGNING_CERT}</X509Certificate></X509Data></KeyInfo></md:KeyDescriptor>`;
    expect(checkSamlMetadata(samlMetadata({ keys }), 'metadataXml').entityId).toBe('https://idp.acme.test/metadata');
  });

  it('refuses a DOCTYPE (no XXE, no entity expansion)', () => {
    const xxe = `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>${samlMetadata().replace('<?xml version="1.0"?>', '')}`;
    expect(detailOf(() => checkSamlMetadata(xxe, 'metadataXml'))).toMatch(/DOCTYPE/);
  });

  it('refuses XML that is not well formed', () => {
    expect(detailOf(() => checkSamlMetadata('<md:EntityDescriptor><unclosed></md:EntityDescriptor>', 'metadataXml'))).toMatch(
      /not well-formed/,
    );
  });

  it('refuses metadata with no EntityDescriptor, no SSO service or no signing certificate', () => {
    expect(detailOf(() => checkSamlMetadata(samlMetadata({ root: 'Other' }), 'metadataXml'))).toMatch(/no EntityDescriptor/);
    expect(detailOf(() => checkSamlMetadata(samlMetadata({ sso: '' }), 'metadataXml'))).toMatch(/SingleSignOnService/);
    expect(detailOf(() => checkSamlMetadata(samlMetadata({ keys: '' }), 'metadataXml'))).toMatch(/no signing X509Certificate/);
    const encryptionOnly = `<md:KeyDescriptor use="encryption"><KeyInfo><X509Data><X509Certificate>${SIGNING_CERT}</X509Certificate></X509Data></KeyInfo></md:KeyDescriptor>`;
    expect(detailOf(() => checkSamlMetadata(samlMetadata({ keys: encryptionOnly }), 'metadataXml'))).toMatch(/no signing/);
  });

  it('refuses a signing certificate that does not parse', () => {
    const junk =
      '<md:KeyDescriptor use="signing"><KeyInfo><X509Data><X509Certificate>bm90IGEgY2VydA==</X509Certificate></X509Data></KeyInfo></md:KeyDescriptor>';
    expect(detailOf(() => checkSamlMetadata(samlMetadata({ keys: junk }), 'metadataXml'))).toMatch(/does not parse/);
  });
});
