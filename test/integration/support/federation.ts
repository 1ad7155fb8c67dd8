import { createHash, randomBytes } from 'node:crypto';
import { stack } from './stack';

/**
 * A whole federated sign-in over real HTTP, without a browser: the hosted
 * login's /oauth2/authorize (with PKCE), the redirect to the identity
 * provider, its sign-in form (the local OIDC provider, scripts/local/oidc-idp.ts),
 * back through Cognito's /oauth2/idpresponse to the app's callback URL (the
 * redirect is read, never fetched), then the code at /oauth2/token.
 */

export type FederatedTokens = { accessToken: string; idToken: string; refreshToken: string };
export type FederatedSignIn = { tokens: FederatedTokens } | { error: string; errorDescription: string };

export type FederatedSignInOptions = {
  email: string;
  /** The provider's "email verified" checkbox (checked by default). */
  emailVerified?: boolean;
  name?: string;
  /** A wrong PKCE verifier or code at /oauth2/token, to prove the refusals. */
  tamper?: { codeVerifier?: string; code?: (code: string) => string };
};

/** The authorize URL the product's POST /sso/discover hands out (PKCE left to the client). */
export const authorizeUrlFor = (providerName: string, redirectUri = defaultRedirectUri(), clientId = stack.cognito.clientId): string => {
  const url = new URL(`${stack.cognito.endpoint}/oauth2/authorize`);
  url.searchParams.set('identity_provider', providerName);
  url.searchParams.set('client_id', clientId);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('scope', 'openid email profile');
  url.searchParams.set('redirect_uri', redirectUri);
  return url.toString();
};

/** The local app client's callback (scripts/local/provision.ts: `<webOrigin>/auth/callback`). */
export const defaultRedirectUri = (): string => `${stack.webUrl ?? 'http://localhost:5173'}/auth/callback`;

/** Cookies per host, as a browser keeps them (enough for the local provider's session cookies). */
class CookieJar {
  private readonly jars = new Map<string, Map<string, string>>();
  header(url: URL): string | undefined {
    const jar = this.jars.get(url.host);
    return jar && jar.size > 0 ? [...jar].map(([k, v]) => `${k}=${v}`).join('; ') : undefined;
  }
  store(url: URL, res: Response): void {
    const jar = this.jars.get(url.host) ?? new Map<string, string>();
    for (const cookie of res.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const eq = pair?.indexOf('=') ?? -1;
      if (!pair || eq < 1) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(cookie)) jar.delete(name);
      else jar.set(name, value);
    }
    this.jars.set(url.host, jar);
  }
}

const MAX_HOPS = 15;

const isCallback = (url: URL, redirectUri: URL): boolean => url.origin === redirectUri.origin && url.pathname === redirectUri.pathname;

/** Follows redirects by hand until the app's callback URL, submitting the provider's sign-in form on the way. */
const walkToCallback = async (
  start: URL,
  redirectUri: URL,
  options: FederatedSignInOptions,
): Promise<URL | { status: number; text: string }> => {
  const jar = new CookieJar();
  let url = start;
  let init: RequestInit = { method: 'GET' };
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    if (isCallback(url, redirectUri)) return url;
    const headers = new Headers(init.headers);
    const cookie = jar.header(url);
    if (cookie) headers.set('cookie', cookie);
    const res = await fetch(url, { ...init, headers, redirect: 'manual' });
    jar.store(url, res);
    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location) {
      url = new URL(location, url);
      init = { method: 'GET' };
      continue;
    }
    const text = await res.text();
    const form = /<form[^>]*method="post"[^>]*action="([^"]+)"/i.exec(text);
    if (res.status === 200 && form?.[1] && /name="email"/.test(text)) {
      const body = new URLSearchParams({ email: options.email, name: options.name ?? '' });
      if (options.emailVerified ?? true) body.set('email_verified', 'true');
      url = new URL(form[1].replace(/&amp;/g, '&'), url);
      init = { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: body.toString() };
      continue;
    }
    return { status: res.status, text };
  }
  throw new Error(`no callback after ${MAX_HOPS} redirects`);
};

/**
 * Signs in through an identity provider. `authorize` is a provider name or the
 * authorize URL of POST /sso/discover; the helper adds PKCE and a state, and
 * checks the state that comes back.
 */
export const federatedSignIn = async (authorize: string, options: FederatedSignInOptions): Promise<FederatedSignIn> => {
  const start = new URL(authorize.startsWith('http') ? authorize : authorizeUrlFor(authorize));
  const redirectUriText = start.searchParams.get('redirect_uri') ?? defaultRedirectUri();
  const redirectUri = new URL(redirectUriText);
  const clientId = start.searchParams.get('client_id') ?? stack.cognito.clientId;
  const codeVerifier = randomBytes(32).toString('base64url');
  const state = randomBytes(16).toString('base64url');
  start.searchParams.set('code_challenge', createHash('sha256').update(codeVerifier).digest('base64url'));
  start.searchParams.set('code_challenge_method', 'S256');
  start.searchParams.set('state', state);

  const end = await walkToCallback(start, redirectUri, options);
  if (!(end instanceof URL)) return { error: `http_${end.status}`, errorDescription: end.text.slice(0, 500) };
  const error = end.searchParams.get('error');
  if (end.searchParams.get('state') !== state)
    return { error: 'state_mismatch', errorDescription: `state came back as ${end.searchParams.get('state')}` };
  if (error) return { error, errorDescription: end.searchParams.get('error_description') ?? '' };
  const code = end.searchParams.get('code');
  if (!code) return { error: 'no_code', errorDescription: end.toString() };

  const res = await fetch(`${stack.cognito.endpoint}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: clientId,
      redirect_uri: redirectUriText,
      code: options.tamper?.code ? options.tamper.code(code) : code,
      code_verifier: options.tamper?.codeVerifier ?? codeVerifier,
    }).toString(),
  });
  const body = (await res.json()) as Record<string, string>;
  if (res.status !== 200) return { error: body.error ?? `http_${res.status}`, errorDescription: body.error_description ?? '' };
  return { tokens: { accessToken: body.access_token ?? '', idToken: body.id_token ?? '', refreshToken: body.refresh_token ?? '' } };
};
