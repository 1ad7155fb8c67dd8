import * as z from 'zod';
import { ValidationError } from '../errors';
import { type FetchOptions, fetchBounded, OutboundFetchError } from './outbound-fetch';

/** The parts of an OpenID Provider's metadata (OIDC Discovery §3) Cognito's authorization-code flow needs. */
const discoverySchema = z.looseObject({
  issuer: z.string(),
  authorization_endpoint: z.url({ protocol: /^https?$/ }),
  token_endpoint: z.url({ protocol: /^https?$/ }),
  jwks_uri: z.url({ protocol: /^https?$/ }),
  response_types_supported: z.array(z.string()),
});

export type OidcDiscovery = z.infer<typeof discoverySchema>;

/** OIDC Discovery §4: the issuer with `/.well-known/openid-configuration` appended (a trailing slash dropped first). */
export const discoveryUrl = (issuer: string): string => `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;

const refuse = (detail: string): ValidationError =>
  new ValidationError(`The issuer's discovery document ${detail}.`, [{ path: 'issuer', message: detail }]);

/** Checks a discovery document against the issuer it was fetched for; throws a 400 saying which check failed. */
export const checkDiscoveryDocument = (issuer: string, body: string): OidcDiscovery => {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw refuse('is not JSON');
  }
  const parsed = discoverySchema.safeParse(json);
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((i) => i.path.join('.') || '(root)'))].join(', ');
    throw refuse(`is not well formed (${fields})`);
  }
  // OIDC Discovery §4.3: the document's issuer must be exactly the one it was fetched for.
  if (parsed.data.issuer !== issuer) throw refuse(`names another issuer (${parsed.data.issuer.slice(0, 200)})`);
  if (!parsed.data.response_types_supported.includes('code')) throw refuse('does not support the authorization code flow');
  return parsed.data;
};

/** Loads `<issuer>/.well-known/openid-configuration` (bounded, public addresses only on AWS) and checks it. */
export const loadOidcDiscovery = async (issuer: string, options: FetchOptions): Promise<OidcDiscovery> => {
  try {
    const { body } = await fetchBounded(discoveryUrl(issuer), { ...options, accept: 'application/json' });
    return checkDiscoveryDocument(issuer, body);
  } catch (err) {
    if (err instanceof OutboundFetchError) throw refuse(`could not be loaded: ${err.reason}`);
    throw err;
  }
};
