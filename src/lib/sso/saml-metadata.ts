import { X509Certificate } from 'node:crypto';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { ValidationError } from '../errors';
import { type FetchOptions, fetchBounded, OutboundFetchError } from './outbound-fetch';

/** What Cognito needs of a SAML IdP's metadata: who it is, where to send the browser, and the key it signs with. */
export type SamlMetadata = { entityId: string; ssoUrl: string };

const refuse = (path: 'metadataUrl' | 'metadataXml', detail: string): ValidationError =>
  new ValidationError(`The SAML metadata ${detail}.`, [{ path, message: detail }]);

// Namespace prefixes dropped, attributes kept; entities never expanded (and a DOCTYPE is refused before parsing).
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  processEntities: false,
  parseTagValue: false,
  isArray: (name) => ['IDPSSODescriptor', 'SingleSignOnService', 'KeyDescriptor', 'X509Certificate'].includes(name),
});

type Node = Record<string, unknown>;
const asNodes = (v: unknown): Node[] =>
  (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((n) => typeof n === 'object' && n) as Node[];
const textOf = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'object' && v ? String((v as Node)['#text'] ?? '') : '');

const isCertificate = (base64: string): boolean => {
  try {
    new X509Certificate(Buffer.from(base64.replace(/\s+/g, ''), 'base64'));
    return true;
  } catch {
    return false;
  }
};

/** The signing certificates of a descriptor: KeyDescriptors with `use="signing"` or no `use` (both uses). */
const signingCertificates = (descriptor: Node): string[] =>
  asNodes(descriptor.KeyDescriptor)
    .filter((k) => k['@_use'] === undefined || k['@_use'] === 'signing')
    .flatMap((k) => asNodes(k.KeyInfo).flatMap((info) => asNodes(info.X509Data)))
    .flatMap((data) => (Array.isArray(data.X509Certificate) ? data.X509Certificate : [data.X509Certificate]).map(textOf))
    .filter((c) => c.trim() !== '');

/**
 * Parses and checks SAML 2.0 metadata: an EntityDescriptor with an
 * IDPSSODescriptor holding a SingleSignOnService Location and a signing
 * X509Certificate that parses. A DOCTYPE or ENTITY declaration is refused
 * outright (no XXE, no entity expansion bombs).
 */
export const checkSamlMetadata = (xml: string, path: 'metadataUrl' | 'metadataXml'): SamlMetadata => {
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw refuse(path, 'has a DOCTYPE or ENTITY declaration, which is not allowed');
  if (XMLValidator.validate(xml) !== true) throw refuse(path, 'is not well-formed XML');
  const doc = parser.parse(xml) as Node;
  const entity = asNodes(doc.EntityDescriptor)[0];
  if (!entity) throw refuse(path, 'has no EntityDescriptor');
  const entityId = String(entity['@_entityID'] ?? '');
  if (!entityId) throw refuse(path, 'names no entityID');
  const idp = asNodes(entity.IDPSSODescriptor)[0];
  if (!idp) throw refuse(path, 'has no IDPSSODescriptor');
  const ssoUrl = asNodes(idp.SingleSignOnService)
    .map((s) => String(s['@_Location'] ?? ''))
    .find((l) => URL.canParse(l));
  if (!ssoUrl) throw refuse(path, 'has no SingleSignOnService with a Location URL');
  const certs = signingCertificates(idp);
  if (certs.length === 0) throw refuse(path, 'has no signing X509Certificate');
  if (!certs.every(isCertificate)) throw refuse(path, 'has a signing X509Certificate that does not parse');
  return { entityId, ssoUrl };
};

/** Takes inline metadata, or loads it from its URL (bounded, public addresses only on AWS), and checks it. */
export const loadSamlMetadata = async (
  source: { metadataUrl: string } | { metadataXml: string },
  options: FetchOptions,
): Promise<SamlMetadata> => {
  if ('metadataXml' in source) return checkSamlMetadata(source.metadataXml, 'metadataXml');
  try {
    const { body } = await fetchBounded(source.metadataUrl, {
      ...options,
      accept: 'application/samlmetadata+xml, application/xml, text/xml',
    });
    return checkSamlMetadata(body, 'metadataUrl');
  } catch (err) {
    if (err instanceof OutboundFetchError) throw refuse('metadataUrl', `could not be loaded: ${err.reason}`);
    throw err;
  }
};
