/** A self-signed P-256 certificate (CN=idp.acme.test), base64 DER as SAML metadata carries it. Test data only. */
export const SIGNING_CERT =
  'MIIBhTCCASugAwIBAgIUPDZ4uKGqQKprnsVfNqunvL3sJM4wCgYIKoZIzj0EAwIwGDEWMBQGA1UEAwwNaWRwLmFjbWUudGVzdDAeFw0yNjExMzAxMzU2MzhaFw0zNjExMjcxMzU2MzhaMBgxFjAUBgNVBAMMDWlkcC5hY21lLnRlc3QwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAAT891EwfQxPs+/NmEuu8fiJgIiitzRIuDI7I5QygWAdENz9VL+8pLUBRCkx7RVTi68JB9Y7RwMuAqqNFvbd4x2ro1MwUTAdBgNVHQ4EFgQUMVccy8zjALDw/tBCqf2/8u8EQTYwHwYDVR0jBBgwFoAUMVccy8zjALDw/tBCqf2/8u8EQTYwDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNIADBFAiAPZnw1X7QqUpmHZu2mBR7eqDUXkeB9jcVE0i2lCcsMwgIhAK8A+vsLCuMdAp6XoqEqGD83RjAgLSKn9G7rp3uOup2g';

export const SAML_NS = 'urn:oasis:names:tc:SAML:2.0:metadata';

/** SAML IdP metadata, with parts left out or replaced to make it wrong. */
export const samlMetadata = (parts: { sso?: string; keys?: string; root?: string } = {}): string => {
  const sso =
    parts.sso ??
    '<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.acme.test/sso"/>';
  const keys =
    parts.keys ??
    `<md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>${SIGNING_CERT}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`;
  const root = parts.root ?? 'EntityDescriptor';
  return `<?xml version="1.0"?>
<md:${root} xmlns:md="${SAML_NS}" entityID="https://idp.acme.test/metadata">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    ${keys}
    ${sso}
  </md:IDPSSODescriptor>
</md:${root}>`;
};

export const discoveryDocument = (issuer: string, overrides: Record<string, unknown> = {}) => ({
  issuer,
  authorization_endpoint: `${issuer}/authorize`,
  token_endpoint: `${issuer}/token`,
  jwks_uri: `${issuer}/jwks`,
  response_types_supported: ['code', 'id_token'],
  ...overrides,
});
