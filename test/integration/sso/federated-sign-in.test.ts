import { createHash, randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { tryCommit } from '../../../src/lib/db/transaction';
import { newMembershipWrites } from '../../../src/lib/members/membership';
import { SSO_LINKED_MESSAGE, SSO_REFUSED_MESSAGE, SSO_REQUIRED_MESSAGE } from '../../../src/lib/sso/federation-policy';
import { tenantProviderName } from '../../../src/lib/sso/provider-name';
import { api } from '../support/api';
import { decodeJwt, refresh, signIn, signUp, signUpConfirmAndSignIn } from '../support/cognito';
import { auditEventsOf, membersOf, userItems } from '../support/data';
import { defaultRedirectUri, type FederatedSignIn, type FederatedTokens, federatedSignIn } from '../support/federation';
import { configureOidcSso, discover, uniqueDomain, verifyDomain } from '../support/sso';
import { PASSWORD, stack } from '../support/stack';
import { type Caller, tenantWithOwner } from '../support/world';

type Tenant = { tenantId: string; owner: Caller };

/**
 * Issue 14's promises, end to end: the owner's configuration through the API,
 * the domain verified through the stack's DNS, discovery, and sign-ins through
 * the local OIDC provider and the Cognito emulator's hosted login, with the
 * real triggers deciding.
 */
let acme: Tenant; // SSO with the local provider's client 0, default role member
let globex: Tenant; // client 1, default role viewer
let acmeDomain: string;
let globexDomain: string;

const tokensOf = (result: FederatedSignIn): FederatedTokens => {
  if (!('tokens' in result)) throw new Error(`federated sign-in refused: ${result.errorDescription}`);
  return result.tokens;
};

const refusalOf = (result: FederatedSignIn): string => {
  if ('tokens' in result) throw new Error('federated sign-in was allowed');
  return result.errorDescription;
};

const authorizeUrlOf = async (email: string): Promise<string> => {
  const res = await discover(email);
  const body = res.body as { sso: boolean; authorizeUrl?: string };
  if (!body.sso || !body.authorizeUrl) throw new Error(`no SSO for ${email}`);
  return body.authorizeUrl;
};

/** Invites an exact address through the API and takes it through the password sign-up. */
const passwordMember = async (tenant: Tenant, email: string, role = 'member'): Promise<Caller> => {
  const res = await api(`/tenants/${tenant.tenantId}/invites`, { method: 'POST', token: tenant.owner.accessToken, body: { email, role } });
  if (res.status !== 201) throw new Error(`invite failed: ${res.status} ${res.text}`);
  return { ...(await signUpConfirmAndSignIn(email)), email };
};

const claimsOf = (tokens: { accessToken: string; idToken: string }) => {
  const access = decodeJwt(tokens.accessToken);
  const id = decodeJwt(tokens.idToken);
  return { access: [access.tenant_id, access.tenant_role], id: [id.tenant_id, id.tenant_role], sub: String(access.sub) };
};

/**
 * A password sign-in on the hosted login's own page (POST /oauth2/authorize
 * with the user's password), then the code exchange: the status of the
 * exchange (200 when tokens are issued).
 */
const hostedPasswordSignIn = async (email: string): Promise<number> => {
  const verifier = randomBytes(32).toString('base64url');
  const form = new URLSearchParams({
    client_id: stack.cognito.clientId,
    redirect_uri: defaultRedirectUri(),
    response_type: 'code',
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    scope: 'openid email profile',
    state: 'hosted-password',
    username: email,
    password: PASSWORD,
  });
  const authorized = await fetch(`${stack.cognito.endpoint}/oauth2/authorize`, { method: 'POST', body: form, redirect: 'manual' });
  const code = new URL(authorized.headers.get('location') ?? 'http://invalid/').searchParams.get('code');
  if (!code) return authorized.status;
  const exchanged = await fetch(`${stack.cognito.endpoint}/oauth2/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: stack.cognito.clientId,
      code,
      redirect_uri: defaultRedirectUri(),
      code_verifier: verifier,
    }),
  });
  return exchanged.status;
};

const eventsOf = async (tenantId: string, type: string) => (await auditEventsOf(tenantId)).filter((e) => e.type === type);

beforeAll(async () => {
  acme = await tenantWithOwner('Acme SSO');
  globex = await tenantWithOwner('Globex SSO');
  acmeDomain = uniqueDomain('acme');
  globexDomain = uniqueDomain('globex');
  await configureOidcSso(acme, 0, { defaultRole: 'member' });
  await configureOidcSso(globex, 1, { defaultRole: 'viewer' });
  await verifyDomain(acme, acmeDomain);
  await verifyDomain(globex, globexDomain);
});

describe('discovery', () => {
  it("routes a verified domain's email to its tenant's provider, and answers the same shape for any other", async () => {
    const routed = await discover(`jane@${acmeDomain}`);
    expect(routed.status).toBe(200);
    const url = new URL((routed.body as { authorizeUrl: string }).authorizeUrl);
    expect(url.searchParams.get('identity_provider')).toBe(tenantProviderName(acme.tenantId));
    expect(url.searchParams.has('code_challenge')).toBe(false);

    for (const email of [`jane@${uniqueDomain('nobody')}`, 'jane@gmail.com']) {
      const other = await discover(email);
      expect(other.status).toBe(200);
      expect(other.body).toEqual({ sso: false });
    }
  });
});

describe('a new employee signing in through their organization', () => {
  it('becomes a member with the default role on first sign-in, audited once, and signs in again as the same user', async () => {
    const email = `new.hire@${acmeDomain}`;
    const first = tokensOf(await federatedSignIn(await authorizeUrlOf(email), { email }));
    const claims = claimsOf(first);
    expect(claims.access).toEqual([acme.tenantId, 'member']);
    expect(claims.id).toEqual([acme.tenantId, 'member']);

    const me = await api('/me', { token: first.accessToken });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      email,
      tenantId: acme.tenantId,
      role: 'member',
      memberships: [{ tenantId: acme.tenantId, role: 'member' }],
    });

    const second = tokensOf(await federatedSignIn(await authorizeUrlOf(email), { email }));
    expect(claimsOf(second).sub).toBe(claims.sub);
    const joined = (await eventsOf(acme.tenantId, 'member.joined_via_sso')).filter((e) => e.targetId === claims.sub);
    expect(joined).toHaveLength(1);
    expect(joined[0]?.details).toMatchObject({ role: 'member' });
    expect((await membersOf(acme.tenantId)).filter((m) => m.userId === claims.sub)).toHaveLength(1);
  });

  it("gets the other tenant's default role from the other tenant's provider", async () => {
    const email = `analyst@${globexDomain}`;
    const tokens = tokensOf(await federatedSignIn(await authorizeUrlOf(email), { email }));
    expect(claimsOf(tokens).access).toEqual([globex.tenantId, 'viewer']);
  });
});

describe("a provider speaks for its own tenant's domains only", () => {
  const acmeProvider = () => tenantProviderName(acme.tenantId);

  it("refuses an email of another tenant's verified domain, and Globex gains no member", async () => {
    const email = `intruder@${globexDomain}`;
    const before = (await membersOf(globex.tenantId)).length;
    const refusal = refusalOf(await federatedSignIn(acmeProvider(), { email }));
    expect(refusal).toContain(SSO_REFUSED_MESSAGE);
    expect(await membersOf(globex.tenantId)).toHaveLength(before);
    expect((await eventsOf(acme.tenantId, 'sso.refused')).some((e) => (e.details as { reason?: string }).reason === 'foreign-domain')).toBe(
      true,
    );
  });

  it('refuses an email outside every verified domain, and one the provider does not call verified', async () => {
    expect(refusalOf(await federatedSignIn(acmeProvider(), { email: `someone@${uniqueDomain('elsewhere')}` }))).toContain(
      SSO_REFUSED_MESSAGE,
    );
    expect(refusalOf(await federatedSignIn(acmeProvider(), { email: `unverified@${acmeDomain}`, emailVerified: false }))).toContain(
      SSO_REFUSED_MESSAGE,
    );
  });

  it("never yields a membership or a claim of another tenant to an account of Acme's provider", async () => {
    const email = `careful@${acmeDomain}`;
    const tokens = tokensOf(await federatedSignIn(acmeProvider(), { email }));
    const userId = claimsOf(tokens).sub;

    // Globex invites that address: the account cannot accept it.
    const invite = await api(`/tenants/${globex.tenantId}/invites`, {
      method: 'POST',
      token: globex.owner.accessToken,
      body: { email, role: 'admin' },
    });
    expect(invite.status).toBe(201);
    const { inviteId } = invite.body as { inviteId: string };
    const accepted = await api(`/me/invites/${inviteId}/accept`, { method: 'POST', token: tokens.accessToken });
    expect(accepted.status).toBe(403);
    expect(await userItems(userId)).not.toContainEqual(expect.objectContaining({ sk: `MEMBERSHIP#${globex.tenantId}` }));

    // Even a Globex membership that got there some other way (written here directly) and made
    // active yields no Globex claim: the account's tokens carry Acme or nothing.
    const forced = await tryCommit(newMembershipWrites({ tenantId: globex.tenantId, userId, email, role: 'owner' }, new Date()));
    expect(forced.ok).toBe(true);
    const switched = await api('/me/active-tenant', { method: 'PUT', token: tokens.accessToken, body: { tenantId: globex.tenantId } });
    expect(switched.status).toBe(200);
    const again = tokensOf(await federatedSignIn(acmeProvider(), { email }));
    expect(claimsOf(again).access).toEqual([acme.tenantId, 'member']);
    expect(claimsOf(await refresh(again.refreshToken)).access).toEqual([acme.tenantId, 'member']);
  });
});

describe('an existing password account of the domain', () => {
  it('is linked on its first sign-in through the provider, audited, and then signs in as that account', async () => {
    const email = `veteran@${acmeDomain}`;
    const account = await passwordMember(acme, email, 'member');
    const first = refusalOf(await federatedSignIn(tenantProviderName(acme.tenantId), { email }));
    expect(first).toContain(SSO_LINKED_MESSAGE);

    const tokens = tokensOf(await federatedSignIn(tenantProviderName(acme.tenantId), { email }));
    expect(claimsOf(tokens)).toMatchObject({ sub: account.userId, access: [acme.tenantId, 'member'] });
    const linked = (await eventsOf(acme.tenantId, 'member.sso_linked')).filter((e) => e.targetId === account.userId);
    expect(linked).toHaveLength(1);
  });

  it("is never linked when it is an admin's or an owner's: the provider would sign in as them, past their MFA", async () => {
    for (const role of ['admin', 'owner']) {
      const email = `${role}.person@${acmeDomain}`;
      const account = await passwordMember(acme, email, role);
      expect(refusalOf(await federatedSignIn(tenantProviderName(acme.tenantId), { email }))).toContain(SSO_REFUSED_MESSAGE);
      expect(
        (await eventsOf(acme.tenantId, 'sso.refused')).some((e) => (e.details as { reason?: string }).reason === 'privileged-account'),
      ).toBe(true);
      expect(claimsOf(await signIn(email))).toMatchObject({ sub: account.userId, access: [acme.tenantId, role] });
    }
  });

  it('is never linked while it belongs to another tenant too', async () => {
    const email = `consultant@${acmeDomain}`;
    const account = await passwordMember(acme, email);
    const invite = await api(`/tenants/${globex.tenantId}/invites`, {
      method: 'POST',
      token: globex.owner.accessToken,
      body: { email, role: 'viewer' },
    });
    const accepted = await api(`/me/invites/${(invite.body as { inviteId: string }).inviteId}/accept`, {
      method: 'POST',
      token: account.accessToken,
    });
    expect(accepted.status).toBe(201);

    expect(refusalOf(await federatedSignIn(tenantProviderName(acme.tenantId), { email }))).toContain(SSO_REFUSED_MESSAGE);
    expect((await eventsOf(acme.tenantId, 'member.sso_linked')).some((e) => e.targetId === account.userId)).toBe(false);
    // The password account is untouched.
    expect(claimsOf(await signIn(email)).sub).toBe(account.userId);
  });
});

describe('enforced SSO', () => {
  it("refuses password sign-in and password sign-up for the tenant's domains, and discovery keeps routing to SSO", async () => {
    const initech = await tenantWithOwner('Initech SSO');
    const domain = uniqueDomain('initech');
    await configureOidcSso(initech, 2);
    await verifyDomain(initech, domain);
    const staff = await passwordMember(initech, `staff@${domain}`);
    expect(claimsOf(await signIn(staff.email)).sub).toBe(staff.userId);
    expect(await hostedPasswordSignIn(staff.email)).toBe(200);

    await configureOidcSso(initech, 2, { enforce: true });
    await expect(signIn(staff.email)).rejects.toThrow(SSO_REQUIRED_MESSAGE);
    // Nor through the hosted login's own password form.
    expect(await hostedPasswordSignIn(staff.email)).not.toBe(200);

    const newcomer = `newcomer@${domain}`;
    const invite = await api(`/tenants/${initech.tenantId}/invites`, {
      method: 'POST',
      token: initech.owner.accessToken,
      body: { email: newcomer, role: 'member' },
    });
    expect(invite.status).toBe(201);
    await expect(signUp(newcomer)).rejects.toThrow(SSO_REQUIRED_MESSAGE);

    expect((await discover(newcomer)).body).toMatchObject({ sso: true });
    // The owner signs in with an address outside the domain: enforcement stops at the domain.
    expect(claimsOf(await signIn(initech.owner.email)).access).toEqual([initech.tenantId, 'owner']);
    // And through the provider the newcomer gets in.
    expect(claimsOf(tokensOf(await federatedSignIn(await authorizeUrlOf(newcomer), { email: newcomer }))).access).toEqual([
      initech.tenantId,
      'member',
    ]);
  });
});

describe('deleting SSO', () => {
  it("removes the provider: its sign-ins and its users' refreshes are refused, and discovery answers sso false", async () => {
    const umbrella = await tenantWithOwner('Umbrella SSO');
    const domain = uniqueDomain('umbrella');
    await configureOidcSso(umbrella, 2);
    await verifyDomain(umbrella, domain);
    const email = `leaver@${domain}`;
    const tokens = tokensOf(await federatedSignIn(await authorizeUrlOf(email), { email }));

    const removed = await api(`/tenants/${umbrella.tenantId}/sso`, { method: 'DELETE', token: umbrella.owner.accessToken });
    expect(removed.status).toBe(204);
    expect((await discover(email)).body).toEqual({ sso: false });
    expect('tokens' in (await federatedSignIn(tenantProviderName(umbrella.tenantId), { email }))).toBe(false);
    await expect(refresh(tokens.refreshToken)).rejects.toThrow(SSO_REFUSED_MESSAGE);
  });
});
