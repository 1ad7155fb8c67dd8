import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addTxtRecord } from '../../scripts/local/dns-zone';
import { createTenant } from '../../src/lib/tenants/create-tenant';
import { api } from '../integration/support/api';
import { decodeJwt } from '../integration/support/cognito';
import { latestCodeMailTo, mailsTo, verificationCode } from '../integration/support/mail';
import { operator } from '../integration/support/operator';
import { PASSWORD, stack, uniqueEmail } from '../integration/support/stack';
import { totpCode } from '../integration/support/totp';
import { tenantWithOwner, waitUntil } from '../integration/support/world';
import { axeViolations, launchChromium, screenshots, seriousOrWorse } from './support/chromium';

/**
 * The web app as a person uses it, in headless Chromium against the local
 * stack: invite link → sign-up → confirm → SRP sign-in → TOTP set-up → CSV
 * upload → ready → audit entry → members, invites, tenant switch → sign out
 * everywhere → sign in again with the TOTP code → a call in the access token's
 * last minute, which refreshes it first → sign out. Then enterprise SSO: an
 * owner connects the local OpenID Connect provider and verifies a domain through
 * the local DNS, and a new employee of that domain signs in with their company
 * account (discovery → provider → /auth/callback) and lands as a member with
 * the default role. Every page is checked with axe-core and photographed into
 * .local/screenshots/.
 */
const ROOT = path.resolve(__dirname, '../..');
const SHOTS = path.join(ROOT, '.local/screenshots');
/** The README's quick-start picture: written when missing, or rewritten with UPDATE_SCREENSHOTS=1. */
const QUICK_START = path.join(ROOT, 'docs/screenshots/quick-start.png');
const CSV = 'city,country,population\nOslo,Norway,709000\nBergen,Norway,291000\nLyon,France,522000\n';

const webUrl = stack.webUrl ?? '';
const shoot = screenshots(SHOTS);
let browser: Browser;
let context: BrowserContext;
let page: Page;
const problems: string[] = [];
/** The newest access token the app sent to the API, to check it is dead after "sign out everywhere". */
let lastToken: string | undefined;

const heading = (name: string) => page.getByRole('heading', { level: 1, name });
const nav = (name: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });

/** axe-core on the page: no serious or critical violation; then its screenshot. */
const check = async (name: string): Promise<string> => {
  expect(seriousOrWorse(await axeViolations(page)), `axe on ${name}`).toEqual([]);
  return shoot(page, name);
};

const inviteLinkTo = (email: string): string => {
  const link = mailsTo(email)
    .map((m) => /https?:\/\/\S*invite_code=\S+/.exec(m.text)?.[0])
    .findLast((l) => l !== undefined);
  if (!link) throw new Error(`No invite email to ${email}`);
  return link;
};

describe('the web app in Chromium', () => {
  /** A fresh context and page (no cookies, storage or fixed clock of an earlier test), watched for errors. */
  const openPage = async () => {
    await context?.close();
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
    page.setDefaultTimeout(20_000);
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content.Security.Policy/i.test(m.text())) problems.push(`CSP: ${m.text()}`);
    });
    page.on('dialog', (dialog) => void dialog.accept());
    page.on('request', (req) => {
      const auth = req.headers().authorization;
      if (auth?.startsWith('Bearer ') && req.url().startsWith(stack.apiUrl)) lastToken = auth.slice('Bearer '.length);
    });
  };

  beforeAll(async () => {
    browser = await launchChromium();
    await openPage();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('walks from the invite email to signing out everywhere', async () => {
    const started = Date.now();
    const email = uniqueEmail('walk-owner');
    const { tenant } = await createTenant(operator, { name: 'Fjord Analytics', ownerEmail: email });

    // The invite email's link opens the sign-up page with the email and code filled in.
    const link = inviteLinkTo(email);
    expect(link.startsWith(`${webUrl}/sign-up?`)).toBe(true);
    await page.goto(link);
    await heading('Create your account').waitFor();
    expect(await page.getByLabel('Email', { exact: true }).inputValue()).toBe(email);
    expect(await page.getByLabel('Invite code', { exact: true }).inputValue()).toBe(new URL(link).searchParams.get('invite_code'));
    expect(page.url()).not.toContain('invite_code');
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await check('sign-up');
    await page.getByRole('button', { name: 'Create account' }).click();

    // The code from the verification mail.
    await heading('Confirm your email').waitFor();
    await page.getByLabel('Code', { exact: true }).fill(verificationCode(await latestCodeMailTo(email)));
    await check('confirm');
    await page.getByRole('button', { name: 'Confirm' }).click();

    // Sign-in with the password (SRP).
    await heading('Sign in').waitFor();
    await page.getByText('Your email is confirmed').waitFor();
    expect(await page.getByLabel('Email', { exact: true }).inputValue()).toBe(email);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await check('sign-in');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await heading('Home').waitFor();
    await expect(page.getByRole('definition').filter({ hasText: 'Fjord Analytics' }).count()).resolves.toBe(1);
    await check('home');
    // The tokens live in memory only: nothing JWT-like in the page's storage or cookies.
    const stored = (await page.evaluate('JSON.stringify([localStorage, sessionStorage, document.cookie])')) as string;
    expect(stored).not.toMatch(/eyJ[\w-]+\.eyJ/);

    // TOTP set-up from the QR code's secret.
    await nav('Security').click();
    await heading('Security').waitFor();
    await page.getByRole('button', { name: 'Set up an authenticator app' }).click();
    await page.getByRole('img', { name: /QR code/ }).waitFor();
    const secret = (await page.getByTestId('totp-secret').textContent()) ?? '';
    expect(secret).toMatch(/^[A-Z2-7]+=*$/);
    await page.getByLabel('Code from the app', { exact: true }).fill(totpCode(secret));
    await check('totp-set-up');
    await page.getByRole('button', { name: 'Verify and turn on' }).click();
    await page.getByText('Your authenticator app is set up').waitFor();

    // A CSV upload: declared, PUT to the presigned URL, ingested, ready with rows and columns.
    await nav('Files').click();
    await heading('Files').waitFor();
    await page
      .getByLabel('CSV file', { exact: true })
      .setInputFiles({ name: 'cities.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) });
    await page.getByRole('button', { name: 'Upload' }).click();
    await page.getByText('cities.csv is ready.').waitFor({ timeout: 90_000 });
    expect(await page.getByTestId('row-count').textContent()).toBe('3');
    expect(await page.getByTestId('columns').textContent()).toBe('city, country, population');
    const download = await page.getByRole('link', { name: 'Download cities.csv' }).getAttribute('href');
    const downloaded = await fetch(download ?? '');
    expect(downloaded.status).toBe(200);
    expect(await downloaded.text()).toBe(CSV);
    await page.getByRole('cell', { name: 'ready' }).first().waitFor();
    const filesShot = await check('files');
    if (!fs.existsSync(QUICK_START) || process.env.UPDATE_SCREENSHOTS) {
      fs.mkdirSync(path.dirname(QUICK_START), { recursive: true });
      fs.copyFileSync(filesShot, QUICK_START);
    }

    // The upload in the audit log, within a "from" filter.
    await nav('Audit log').click();
    await heading('Audit log').waitFor();
    const hourAgo = new Date(Date.now() - 3600_000 - new Date().getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
    await page.getByLabel('From', { exact: true }).fill(hourAgo);
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/\/audit\?from=/);
    await page.getByRole('cell', { name: 'file.uploaded' }).waitFor();
    await check('audit');

    // Members, and an invite sent and revoked.
    await nav('Members').click();
    await heading('Members').waitFor();
    await page.getByRole('cell', { name: email, exact: true }).waitFor();
    await check('members');
    await nav('Invites').click();
    await heading('Invites').waitFor();
    const colleague = uniqueEmail('walk-colleague');
    await page.getByLabel('Email', { exact: true }).fill(colleague);
    await page.getByLabel('Role', { exact: true }).selectOption('member');
    await page.getByRole('button', { name: 'Send invite' }).click();
    await page.getByRole('cell', { name: colleague, exact: true }).waitFor();
    expect(inviteLinkTo(colleague).startsWith(`${webUrl}/sign-up?`)).toBe(true);
    await check('invites');
    await page.getByRole('button', { name: `Revoke the invite of ${colleague}` }).click();
    await page
      .getByRole('row', { name: new RegExp(colleague) })
      .getByRole('cell', { name: 'revoked' })
      .waitFor();

    // Invited to a second tenant: accept on the home page, then switch to it.
    const second = await createTenant(operator, { name: 'Second Harbour', ownerEmail: email });
    await nav('Home').click();
    await heading('Home').waitFor();
    await page.getByRole('button', { name: 'Accept the invite to Second Harbour as owner' }).click();
    await page.getByRole('heading', { name: 'Switch tenant' }).waitFor();
    await page.getByLabel('Tenant', { exact: true }).selectOption({ label: 'Second Harbour (owner)' });
    await page.getByRole('button', { name: 'Switch' }).click();
    await page.getByRole('definition').filter({ hasText: 'Second Harbour' }).waitFor();
    await check('tenant-switched');
    const token = lastToken ?? '';
    expect((await api('/me', { token })).body).toMatchObject({ tenantId: second.tenant.tenantId, role: 'owner' });
    expect((await api(`/tenants/${tenant.tenantId}`, { token })).status).toBe(403);

    // A passkey, on Chromium's virtual authenticator (the DevTools WebAuthn domain): registered on the
    // security page (as the second step too, beside the authenticator app), then signed in with alone.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true },
    });
    await nav('Security').click();
    await heading('Security').waitFor();
    await page.getByRole('button', { name: 'Register a passkey' }).click();
    await page.getByText('Passkey registered: it signs you in on its own, as your second step too.').waitFor();
    await check('passkey-registered');
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.getByText('You are signed out.').waitFor();
    await page.getByLabel('Email', { exact: true }).fill(email);
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await heading('Home').waitFor();
    expect(decodeJwt(lastToken ?? '')).toMatchObject({ tenant_id: second.tenant.tenantId });
    await check('passkey-sign-in');

    // Sign out everywhere: the API refuses the last token within 5 s.
    await page.getByRole('button', { name: 'Sign out everywhere' }).click();
    await heading('Sign in').waitFor();
    await page.getByText('You are signed out on every device.').waitFor();
    await waitUntil(async () => (await api('/me', { token })).status === 401, 7000, 250);
    await check('signed-out');

    // Back in with the password and the authenticator code.
    await page.getByLabel('Email', { exact: true }).fill(email);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByLabel('Authenticator code', { exact: true }).fill(totpCode(secret));
    await check('totp-sign-in');
    await page.getByRole('button', { name: 'Continue' }).click();
    await heading('Home').waitFor();

    // A call in the access token's last minute carries a new one of the same session (Amplify alone
    // refreshes only in the last 5 s): the page's clock moved to 30 s before the token expires.
    const fresh = lastToken ?? '';
    await page.clock.setFixedTime((Number(decodeJwt(fresh).exp) - 30) * 1000);
    await nav('Members').click();
    await heading('Members').waitFor();
    expect(lastToken).not.toBe(fresh);
    expect(decodeJwt(lastToken ?? '').origin_jti).toBe(decodeJwt(fresh).origin_jti);
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.getByText('You are signed out.').waitFor();

    expect(problems).toEqual([]);
    console.log(`[browser] walk took ${((Date.now() - started) / 1000).toFixed(1)} s; screenshots in ${path.relative(ROOT, SHOTS)}/`);
  });

  it('signs a new employee in with their company account once the owner has connected SSO and verified the domain', async () => {
    const started = Date.now();
    await openPage();
    const { tenantId, owner } = await tenantWithOwner('Northwind Trading');
    const domain = `northwind-${Math.random().toString(36).slice(2, 10)}.test`;
    const [idpClient] = stack.oidcIdp.clients;
    if (!idpClient) throw new Error('The local identity provider has no client');

    // The owner signs in with the password; only an owner sees the SSO page in the navigation.
    await page.goto(`${webUrl}/sign-in`);
    await heading('Sign in').waitFor();
    await page.getByLabel('Email', { exact: true }).fill(owner.email);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await heading('Home').waitFor();
    await nav('SSO').click();
    await heading('Single sign-on').waitFor();
    await page.getByText('No identity provider is connected yet.').waitFor();
    await check('sso-empty');

    // OpenID Connect with the local provider: its issuer and one of its clients; new people join as viewers.
    await page.getByLabel('OpenID Connect', { exact: true }).check();
    // Only the chosen type's fields are shown (and sent).
    expect(await page.getByLabel('Metadata URL', { exact: true }).isVisible()).toBe(false);
    await page.getByLabel('Issuer URL', { exact: true }).fill(stack.oidcIdp.issuer);
    await page.getByLabel('Client ID', { exact: true }).fill(idpClient.clientId);
    await page.getByLabel('Client secret', { exact: true }).fill(idpClient.clientSecret);
    await page.getByLabel('Default role', { exact: true }).selectOption('viewer');
    await page.getByRole('button', { name: 'Connect the identity provider' }).click();
    await page.getByText(/^Saved: OpenID Connect provider /).waitFor();
    const shown = page.getByTestId('sso-config');
    await shown.getByText(stack.oidcIdp.issuer, { exact: true }).waitFor();
    await shown.getByText('viewer', { exact: true }).waitFor();
    // The secret is never shown back, not even in the form it was typed into.
    expect(await page.getByLabel('Client secret', { exact: true }).inputValue()).toBe('');
    expect(await page.content()).not.toContain(idpClient.clientSecret);

    // A domain: pending, with the TXT record to create; verify refuses until the record is published.
    await page.getByLabel('Domain', { exact: true }).fill(domain);
    await page.getByRole('button', { name: 'Add domain' }).click();
    await page.getByText(`Added ${domain}.`).waitFor();
    const row = page.getByRole('row', { name: new RegExp(domain.replace(/\./g, '\\.')) });
    await row.getByTestId('domain-status').filter({ hasText: 'pending' }).waitFor();
    const txtName = (await row.getByTestId('txt-name').textContent()) ?? '';
    const txtValue = (await row.getByTestId('txt-value').textContent()) ?? '';
    expect(txtName).toBe(`_tenantgate-challenge.${domain}`);
    expect(txtValue).not.toBe('');
    await row.getByRole('button', { name: `Verify ${domain}` }).click();
    await row
      .getByRole('alert')
      .filter({ hasText: `No TXT record was found at ${txtName}.` })
      .waitFor();
    await check('sso-domain-pending');
    addTxtRecord(stack.dns.zoneFile, txtName, txtValue);
    await row.getByRole('button', { name: `Verify ${domain}` }).click();
    await row.getByText(`${domain} is verified.`).waitFor();
    expect(await row.getByTestId('domain-status').textContent()).toBe('verified');
    await check('sso-configured');
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.getByText('You are signed out.').waitFor();

    // Discovery answers "no SSO" for a domain no organization verified: the other methods stay.
    const company = page.getByRole('form', { name: 'Sign in with your company account' });
    await company.getByLabel('Work email', { exact: true }).fill(uniqueEmail('walk-no-sso'));
    await company.getByRole('button', { name: 'Continue with your company account' }).click();
    await page.getByText('Your organization has not set up sign-in with its company account.').waitFor();
    await check('company-sign-in-no-sso');

    // A new employee of the verified domain: discovery → the provider's sign-in page → back at /auth/callback.
    const employee = `new-hire-${Math.random().toString(36).slice(2, 8)}@${domain}`;
    await company.getByLabel('Work email', { exact: true }).fill(employee);
    await company.getByRole('button', { name: 'Continue with your company account' }).click();
    await page.waitForURL((url) => url.origin === new URL(stack.oidcIdp.issuer).origin);
    await page.getByLabel('Email', { exact: true }).fill(employee);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await heading('Home').waitFor();
    expect(new URL(page.url()).pathname).toBe('/');
    await page.getByRole('definition').filter({ hasText: 'Northwind Trading' }).waitFor();
    expect(
      await page
        .getByRole('definition')
        .filter({ hasText: /^viewer$/ })
        .count(),
    ).toBe(1);
    await check('company-sign-in');
    const federated = lastToken ?? '';
    expect(decodeJwt(federated)).toMatchObject({ tenant_id: tenantId, tenant_role: 'viewer' });
    expect((await api('/me', { token: federated })).body).toMatchObject({ email: employee, tenantId, role: 'viewer' });
    // Still nothing JWT-like in storage, and the PKCE round trip left nothing behind.
    const stored = (await page.evaluate('JSON.stringify([localStorage, sessionStorage, document.cookie])')) as string;
    expect(stored).not.toMatch(/eyJ[\w-]+\.eyJ/);
    expect(stored).not.toContain('company-sign-in');

    // No password, authenticator app or passkey to manage here: the organization's provider decides.
    await nav('Security').click();
    await page.getByText('You sign in with your company account').waitFor();

    // The federated session refreshes before expiry like any other (Amplify holds its refresh token)…
    await page.clock.setFixedTime((Number(decodeJwt(federated).exp) - 30) * 1000);
    await nav('Members').click();
    await heading('Members').waitFor();
    expect(lastToken).not.toBe(federated);
    expect(decodeJwt(lastToken ?? '').origin_jti).toBe(decodeJwt(federated).origin_jti);
    // …and signs out like any other: the API refuses its token within 5 s.
    const last = lastToken ?? '';
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.getByText('You are signed out.').waitFor();
    await waitUntil(async () => (await api('/me', { token: last })).status === 401, 7000, 250);

    // A callback this tab did not start (a crafted link) shows a fixed text, not the link's words.
    await page.goto(
      `${webUrl}/auth/callback?${new URLSearchParams({ error: 'access_denied', error_description: 'Call +1 555 0100', state: 'forged' })}`,
    );
    await page.getByRole('alert').filter({ hasText: 'This sign-in was not started in this browser tab' }).waitFor();
    expect(await page.content()).not.toContain('555 0100');
    await check('company-sign-in-forged-callback');

    expect(problems).toEqual([]);
    console.log(`[browser] SSO walk took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });
});
