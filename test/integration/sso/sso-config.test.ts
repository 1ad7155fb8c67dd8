import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DescribeIdentityProviderCommand, DescribeUserPoolClientCommand } from '@aws-sdk/client-cognito-identity-provider';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db, tableName } from '../../../src/lib/db/client';
import { domainClaimKey } from '../../../src/lib/db/keys';
import { tenantProviderName } from '../../../src/lib/sso/provider-name';
import { api } from '../support/api';
import { cognito } from '../support/cognito';
import { auditEventsOf } from '../support/data';
import { stack } from '../support/stack';
import { type Caller, inviteAndSignUp, tenantWithOwner } from '../support/world';

type Tenant = { tenantId: string; owner: Caller };
type SsoConfig = { type: string; providerName: string; issuer?: string; clientId?: string; createdAt: string; updatedAt: string };

const idp = stack.oidcIdp;
const idpClient = (i: number) => {
  const client = idp.clients[i % idp.clients.length];
  if (!client) throw new Error('the local identity provider has no clients');
  return client;
};
const oidcBody = (i = 0, overrides: Record<string, unknown> = {}) => ({
  type: 'oidc',
  issuer: idp.issuer,
  clientId: idpClient(i).clientId,
  clientSecret: idpClient(i).clientSecret,
  defaultRole: 'member',
  enforce: false,
  ...overrides,
});

const ssoPath = (t: Tenant) => `/tenants/${t.tenantId}/sso`;
const put = (t: Tenant, body: unknown, by: Caller = t.owner) => api(ssoPath(t), { method: 'PUT', token: by.accessToken, body });
const get = (t: Tenant, by: Caller = t.owner) => api(ssoPath(t), { token: by.accessToken });
const remove = (t: Tenant, by: Caller = t.owner) => api(ssoPath(t), { method: 'DELETE', token: by.accessToken });
const discover = (email: string) => api('/sso/discover', { method: 'POST', body: { email } });

const providerInCognito = async (providerName: string): Promise<boolean> => {
  try {
    await cognito.send(new DescribeIdentityProviderCommand({ UserPoolId: stack.cognito.userPoolId, ProviderName: providerName }));
    return true;
  } catch (err) {
    if (err instanceof Error && err.name === 'ResourceNotFoundException') return false;
    throw err;
  }
};

const clientProviders = async (): Promise<string[]> => {
  const out = await cognito.send(
    new DescribeUserPoolClientCommand({ UserPoolId: stack.cognito.userPoolId, ClientId: stack.cognito.clientId }),
  );
  return out.UserPoolClient?.SupportedIdentityProviders ?? [];
};

/** A domain claim as the verified-domains module writes it once the DNS check passed (written directly here). */
const claimDomain = (domain: string, tenantId: string) =>
  db.send(
    new PutCommand({
      TableName: tableName,
      Item: { ...domainClaimKey(domain), entity: 'domainClaim', tenantId, domain, verifiedAt: new Date().toISOString() },
    }),
  );

const uniqueDomain = (label: string): string => `${label}-${Math.random().toString(36).slice(2, 10)}.example.test`;

/** An "issuer" on loopback whose discovery document is missing, or names another issuer. */
let brokenIdp: http.Server;
let brokenIssuer: string;

let a: Tenant;
let b: Tenant;
let admin: Caller;

beforeAll(async () => {
  brokenIdp = http.createServer((req, res) => {
    if (req.url === '/wrong/.well-known/openid-configuration') {
      res.setHeader('content-type', 'application/json');
      return res.end(JSON.stringify({ issuer: 'https://elsewhere.test', response_types_supported: ['code'] }));
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => brokenIdp.listen(0, '127.0.0.1', resolve));
  brokenIssuer = `http://127.0.0.1:${(brokenIdp.address() as AddressInfo).port}`;
  a = await tenantWithOwner('SSO A');
  b = await tenantWithOwner('SSO B');
  admin = await inviteAndSignUp(a.tenantId, a.owner, 'admin');
});

afterAll(async () => {
  await new Promise((resolve) => brokenIdp.close(resolve));
});

describe("a tenant's SSO configuration", () => {
  it("creates the tenant's OIDC provider in Cognito and the app client, and never answers the secret", async () => {
    // Act
    const res = await put(a, oidcBody(0));

    // Assess
    expect(res.status, res.text).toBe(201);
    const providerName = tenantProviderName(a.tenantId);
    expect(res.body).toMatchObject({
      type: 'oidc',
      issuer: idp.issuer,
      clientId: idpClient(0).clientId,
      providerName,
      defaultRole: 'member',
    });
    expect(res.text).not.toContain(idpClient(0).clientSecret);
    expect(await providerInCognito(providerName)).toBe(true);
    expect(await clientProviders()).toContain(providerName);
    const read = await get(a);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(res.body);
    expect(read.text).not.toContain(idpClient(0).clientSecret);
    const events = (await auditEventsOf(a.tenantId)).filter((e) => e.type === 'sso.configured');
    expect(events).toHaveLength(1);
    expect(JSON.stringify(events)).not.toContain(idpClient(0).clientSecret);
  });

  it('answers 200 to a PUT that changes it, keeping when it was created', async () => {
    const before = (await get(a)).body as SsoConfig;

    const res = await put(a, oidcBody(0, { defaultRole: 'viewer', enforce: true }));

    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ defaultRole: 'viewer', enforce: true, createdAt: before.createdAt });
  });

  it('refuses an issuer whose discovery document does not load or names another issuer, and creates nothing', async () => {
    const missing = await put(b, oidcBody(1, { issuer: `${brokenIssuer}/missing` }));
    const wrong = await put(b, oidcBody(1, { issuer: `${brokenIssuer}/wrong` }));

    expect(missing.status, missing.text).toBe(400);
    expect((missing.body as { detail: string }).detail).toMatch(/could not be loaded: it answered HTTP 404/);
    expect(wrong.status, wrong.text).toBe(400);
    expect((wrong.body as { detail: string }).detail).toMatch(/not well formed|names another issuer/);
    expect(await providerInCognito(tenantProviderName(b.tenantId))).toBe(false);
    expect((await get(b)).status).toBe(404);
  });

  it("is the owner's alone: an admin and another tenant's owner are refused", async () => {
    expect((await put(a, oidcBody(0), admin)).status).toBe(403);
    expect((await get(a, admin)).status).toBe(403);
    expect((await remove(a, admin)).status).toBe(403);
    expect((await put(a, oidcBody(0), b.owner)).status).toBe(403);
    expect((await get(a, b.owner)).status).toBe(403);
  });

  it("keeps both tenants in the app client's providers when two configure at once", async () => {
    const [c, d] = await Promise.all([tenantWithOwner('SSO C'), tenantWithOwner('SSO D')]);

    const [rc, rd] = await Promise.all([put(c, oidcBody(1)), put(d, oidcBody(2))]);

    expect([rc.status, rd.status], `${rc.text} ${rd.text}`).toEqual([201, 201]);
    const providers = await clientProviders();
    expect(providers).toContain(tenantProviderName(c.tenantId));
    expect(providers).toContain(tenantProviderName(d.tenantId));
    expect(providers).toContain(tenantProviderName(a.tenantId));
  });
});

describe('SSO discovery', () => {
  it('answers sso false for a domain no tenant verified', async () => {
    const res = await discover(`ana@${uniqueDomain('nobody')}`);

    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({ sso: false });
  });

  it('answers sso false for a verified domain whose tenant has no SSO', async () => {
    const domain = uniqueDomain('nosso');
    await claimDomain(domain, b.tenantId);

    expect((await discover(`ana@${domain}`)).body).toEqual({ sso: false });
  });

  it("routes a verified domain's email to its tenant's provider", async () => {
    const domain = uniqueDomain('acme');
    await claimDomain(domain, a.tenantId);

    const res = await discover(`Ana@${domain.toUpperCase()}`);

    expect(res.status, res.text).toBe(200);
    const { sso, authorizeUrl } = res.body as { sso: boolean; authorizeUrl: string };
    expect(sso).toBe(true);
    const url = new URL(authorizeUrl);
    expect(url.pathname).toBe('/oauth2/authorize');
    expect(url.searchParams.get('identity_provider')).toBe(tenantProviderName(a.tenantId));
    expect(url.searchParams.get('client_id')).toBe(stack.cognito.clientId);
    expect(url.searchParams.get('response_type')).toBe('code');
    expect(url.searchParams.get('redirect_uri')).toMatch(/\/auth\/callback$/);
  });
});

describe('deleting SSO', () => {
  it('removes the provider from Cognito and the app client, then the configuration', async () => {
    const providerName = tenantProviderName(a.tenantId);

    const res = await remove(a);

    expect(res.status, res.text).toBe(204);
    expect(await providerInCognito(providerName)).toBe(false);
    expect(await clientProviders()).not.toContain(providerName);
    expect((await get(a)).status).toBe(404);
    expect((await remove(a)).status).toBe(404);
    expect((await auditEventsOf(a.tenantId)).filter((e) => e.type === 'sso.deleted')).toHaveLength(1);
  });
});

describe('SSO discovery under load', () => {
  it('answers 429 with Retry-After once an address asked too often this minute', async () => {
    let limited: Awaited<ReturnType<typeof discover>> | undefined;
    // 30 a minute; a minute boundary on the way resets the count once, hence the margin.
    for (let i = 0; i < 70 && !limited; i += 1) {
      const res = await discover(`ana@${uniqueDomain('load')}`);
      if (res.status === 429) limited = res;
      else expect(res.status, res.text).toBe(200);
    }

    expect(limited?.status).toBe(429);
    expect(Number(limited?.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
