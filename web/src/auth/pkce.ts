/**
 * The pieces of an OAuth 2.0 authorization-code sign-in with PKCE (RFC 7636)
 * that need no page: random values from Web Crypto, the S256 challenge, and
 * the checks on the authorize URL the API's discovery hands out. Pure (given
 * `crypto`), so they are unit-tested without a browser.
 */

const base64url = (bytes: Uint8Array): string => {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
};

/** `bytes` random bytes as base64url: 32 give a 43-character verifier (RFC 7636 §4.1 asks 43 to 128). */
export const randomToken = (bytes = 32): string => base64url(crypto.getRandomValues(new Uint8Array(bytes)));

/** BASE64URL(SHA-256(verifier)), the `code_challenge` for `code_challenge_method=S256`. */
export const s256Challenge = async (verifier: string): Promise<string> =>
  base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

export type AuthorizeRequest = {
  /** The authorize URL with `code_challenge`, `code_challenge_method=S256` and `state` added. */
  url: string;
  /** Where the code is exchanged: the same hosted login, `…/oauth2/token`. */
  tokenUrl: string;
  redirectUri: string;
};

/**
 * Checks the discovery's authorize URL before the browser is sent there, and
 * adds the PKCE challenge and the state. It must be Cognito's hosted login
 * (https, or http on loopback for the local emulator) at `…/oauth2/authorize`,
 * for this app's client, coming back to this app's `/auth/callback`: anything
 * else is refused rather than followed.
 */
export const authorizeRequest = (
  authorizeUrl: string,
  expected: { clientId: string; redirectUri: string },
  pkce: { challenge: string; state: string },
): AuthorizeRequest => {
  let url: URL;
  try {
    url = new URL(authorizeUrl);
  } catch {
    throw new Error('The sign-in address of your organization is not valid.');
  }
  const secure = url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname));
  if (!secure || !url.pathname.endsWith('/oauth2/authorize') || url.username || url.password) {
    throw new Error('The sign-in address of your organization is not a hosted login this app can use.');
  }
  const params = url.searchParams;
  if (params.get('client_id') !== expected.clientId || params.get('redirect_uri') !== expected.redirectUri) {
    throw new Error('The sign-in address of your organization is for another app.');
  }
  if (params.get('response_type') !== 'code') throw new Error('The sign-in address of your organization does not ask for a code.');
  params.set('code_challenge', pkce.challenge);
  params.set('code_challenge_method', 'S256');
  params.set('state', pkce.state);
  const tokenUrl = new URL(url.pathname.replace(/\/oauth2\/authorize$/, '/oauth2/token'), url.origin).toString();
  return { url: url.toString(), tokenUrl, redirectUri: expected.redirectUri };
};
