import { createHash, createHmac, generateKeyPairSync, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A real OpenID Connect identity provider on loopback, for the local stack
 * only (a development fixture, never deployed): `oidc-provider` with a sign-in
 * page where a tester types any email and signs in as that person, no
 * password and no consent screen. Tenant SSO points Cognito (the emulator) at
 * it exactly as at a customer's Okta or Entra ID.
 */

/** The static confidential clients, one per pretend customer. */
export const OIDC_IDP_CLIENT_IDS = ['acme-sso', 'globex-sso', 'initech-sso'] as const;

export type OidcIdpClient = { clientId: string; clientSecret: string };
export type OidcIdpInfo = { issuer: string; clients: OidcIdpClient[] };
export type OidcIdp = OidcIdpInfo & { close: () => Promise<void> };

export type OidcIdpOptions = {
  /** 0 = a free port (tests). */
  port: number;
  /** Where the provider sends the browser back: the Cognito emulator's `/oauth2/idpresponse`. */
  redirectUri: string;
  /** Client secrets derive from it, so they survive a restart of `npm start` (Cognito keeps them). */
  secretSeed: string;
};

type Account = { email: string; emailVerified: boolean; name: string };

/** `sub` is stable per address (whatever its case), so signing in again is the same person. */
export const subjectFor = (email: string): string =>
  createHash('sha256').update(`tenantgate-local-idp:${email.trim().toLowerCase()}`).digest('hex').slice(0, 32);

const clientSecret = (seed: string, clientId: string): string =>
  createHmac('sha256', seed).update(`client-secret:${clientId}`).digest('base64url');

const escapeHtml = (value: string): string =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const signInPage = (uid: string, clientId: string, error?: string): string => `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Local identity provider: sign in</title></head>
<body>
<main>
  <h1>Local identity provider</h1>
  <p>A development fixture: sign in to <strong>${escapeHtml(clientId)}</strong> as any address, without a password.</p>
  ${error ? `<p role="alert">${escapeHtml(error)}</p>` : ''}
  <form method="post" action="/interaction/${encodeURIComponent(uid)}/login">
    <label for="email">Email</label>
    <input id="email" name="email" type="email" autocomplete="email" required>
    <label for="name">Name (optional)</label>
    <input id="name" name="name" type="text" autocomplete="name">
    <input id="email_verified" name="email_verified" type="checkbox" value="true" checked>
    <label for="email_verified">Email verified</label>
    <button type="submit">Sign in</button>
  </form>
</main>
</body>
</html>`;

const readForm = async (req: http.IncomingMessage): Promise<URLSearchParams> => {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 16_384) throw new Error('form too large');
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
};

const listen = (server: http.Server, port: number): Promise<number> =>
  new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host: '127.0.0.1' }, () => resolve((server.address() as AddressInfo).port));
  });

/** Starts the provider on 127.0.0.1 and resolves once it answers. */
export const startOidcIdp = async (options: OidcIdpOptions): Promise<OidcIdp> => {
  // ESM-only package: loaded on demand so the rest of the stack stays CommonJS-friendly.
  const { default: Provider } = await import('oidc-provider');
  const accounts = new Map<string, Account>();
  const server = http.createServer();
  const port = await listen(server, options.port);
  const issuer = `http://127.0.0.1:${port}`;
  const clients = OIDC_IDP_CLIENT_IDS.map((clientId) => ({ clientId, clientSecret: clientSecret(options.secretSeed, clientId) }));
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: randomBytes(8).toString('hex'), alg: 'RS256', use: 'sig' };

  const provider = new Provider(issuer, {
    clients: clients.map(({ clientId, clientSecret: secret }) => ({
      client_id: clientId,
      client_secret: secret,
      redirect_uris: [options.redirectUri],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      // What Cognito sends (the secret in the token request's body).
      token_endpoint_auth_method: 'client_secret_post',
    })),
    clientAuthMethods: ['client_secret_post', 'client_secret_basic'],
    jwks: { keys: [signingKey] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    // The scope's claims go into the ID token too, as most enterprise providers do.
    conformIdTokenClaims: false,
    scopes: ['openid', 'email', 'profile'],
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    findAccount: async (_ctx: unknown, id: string) => {
      const account = accounts.get(id);
      if (!account) return undefined;
      return {
        accountId: id,
        claims: async () => ({ sub: id, email: account.email, email_verified: account.emailVerified, name: account.name }),
      };
    },
    ttl: { AccessToken: 600, AuthorizationCode: 120, IdToken: 600, Interaction: 600, Session: 3600, Grant: 3600 },
  });
  const callback = provider.callback();

  const interaction = async (req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> => {
    const details = await provider.interactionDetails(req, res);
    const clientId = String(details.params.client_id ?? '');
    if (req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(signInPage(details.uid, clientId));
      return;
    }
    if (req.method !== 'POST' || !url.pathname.endsWith('/login')) {
      res.writeHead(405).end();
      return;
    }
    const form = await readForm(req);
    const email = (form.get('email') ?? '').trim();
    if (!EMAIL.test(email)) {
      res.writeHead(400, { 'content-type': 'text/html; charset=utf-8' });
      res.end(signInPage(details.uid, clientId, 'Enter an email address.'));
      return;
    }
    const accountId = subjectFor(email);
    const name = (form.get('name') ?? '').trim() || email.split('@')[0] || email;
    accounts.set(accountId, { email, emailVerified: form.get('email_verified') === 'true', name });
    // No consent screen: the client gets what it asked of openid, email and profile.
    const grant = new provider.Grant({ accountId, clientId });
    grant.addOIDCScope('openid email profile');
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, { login: { accountId }, consent: { grantId } }, { mergeWithLastSubmission: false });
  };

  server.on('request', (req, res) => {
    const url = new URL(req.url ?? '/', issuer);
    if (url.pathname.startsWith('/interaction/')) {
      interaction(req, res, url).catch((err: unknown) => {
        if (!res.headersSent) res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(`The sign-in could not go on: ${err instanceof Error ? err.message : String(err)}`);
      });
      return;
    }
    callback(req, res);
  });

  return {
    issuer,
    clients,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
};
