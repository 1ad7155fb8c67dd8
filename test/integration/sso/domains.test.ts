import { beforeAll, describe, expect, it } from 'vitest';
import { api } from '../support/api';
import { failDnsFor, publishTxt } from '../support/dns';
import { type Caller, inviteAndSignUp, tenantWithOwner } from '../support/world';

type TenantDomain = {
  domain: string;
  status: 'pending' | 'verified';
  txtRecord: { name: string; value: string };
  createdAt: string;
  verifiedAt?: string;
};
type Page<T> = { items: T[]; nextCursor: string | null };
type Problem = { status: number; detail: string; errors?: { path: string; message: string }[] };
type Tenant = { tenantId: string; owner: Caller };

/** A domain no other run or test has used: every test claims its own. */
const uniqueDomain = (label: string): string => `${label}-${Math.random().toString(36).slice(2, 10)}.example.test`;

const domains = (t: Tenant) => `/tenants/${t.tenantId}/domains`;
const add = (t: Tenant, domain: string, by: Caller = t.owner) =>
  api(domains(t), { method: 'POST', token: by.accessToken, body: { domain } });
const verify = (t: Tenant, domain: string, by: Caller = t.owner) =>
  api(`${domains(t)}/${domain}/verify`, { method: 'POST', token: by.accessToken });
const remove = (t: Tenant, domain: string, by: Caller = t.owner) =>
  api(`${domains(t)}/${domain}`, { method: 'DELETE', token: by.accessToken });
const list = async (t: Tenant, query = ''): Promise<Page<TenantDomain>> => {
  const res = await api(`${domains(t)}${query}`, { token: t.owner.accessToken });
  expect(res.status, res.text).toBe(200);
  return res.body as Page<TenantDomain>;
};

/** Adds a domain as the tenant's owner and answers what the API gave back. */
const added = async (t: Tenant, domain: string): Promise<TenantDomain> => {
  const res = await add(t, domain);
  expect(res.status, res.text).toBe(201);
  return res.body as TenantDomain;
};

describe('verified domains', () => {
  let a: Tenant;
  let b: Tenant;
  let adminOfA: Caller;

  beforeAll(async () => {
    a = await tenantWithOwner('Domains A');
    b = await tenantWithOwner('Domains B');
    adminOfA = await inviteAndSignUp(a.tenantId, a.owner, 'admin');
  }, 180_000);

  it('takes a domain from pending to verified through a real DNS TXT record', async () => {
    // Prepare
    const domain = uniqueDomain('acme');

    // Act 1: add it, written as a person might
    const res = await add(a, `${domain.toUpperCase()}.`);

    // Assess 1: pending, normalized, with the record to publish
    expect(res.status, res.text).toBe(201);
    const pending = res.body as TenantDomain;
    expect(pending).toEqual({
      domain,
      status: 'pending',
      txtRecord: {
        name: `_tenantgate-challenge.${domain}`,
        value: expect.stringMatching(/^tenantgate-domain-verification=[A-Za-z0-9_-]{22,}$/),
      },
      createdAt: expect.any(String),
    });

    // Act 2: verify before the record exists
    const early = await verify(a, domain);

    // Assess 2: 409, saying what to create
    expect(early.status, early.text).toBe(409);
    expect((early.body as Problem).detail).toContain(
      `Create a TXT record at ${pending.txtRecord.name} with the value ${pending.txtRecord.value}`,
    );

    // Act 3: a record with another value, then the right one beside it
    publishTxt(pending.txtRecord.name, 'tenantgate-domain-verification=not-this-one');
    const wrong = await verify(a, domain);
    publishTxt(pending.txtRecord.name, pending.txtRecord.value);
    const verified = await verify(a, domain);

    // Assess 3
    expect(wrong.status, wrong.text).toBe(409);
    expect((wrong.body as Problem).detail).toContain('does not hold the expected value');
    expect(verified.status, verified.text).toBe(200);
    expect(verified.body).toEqual({ ...pending, status: 'verified', verifiedAt: expect.any(String) });

    // Act 4: verifying again changes nothing
    const again = await verify(a, domain);

    // Assess 4
    expect(again.status, again.text).toBe(200);
    expect(again.body).toEqual(verified.body);
  });

  it('lists pending and verified domains, page by page', async () => {
    // Prepare: a tenant of its own, so the list holds exactly these two
    const t = await tenantWithOwner('Domains list');
    const [first, second] = [uniqueDomain('listed-a'), uniqueDomain('listed-b')];
    const verifiedOne = await added(t, first);
    await added(t, second);
    publishTxt(verifiedOne.txtRecord.name, verifiedOne.txtRecord.value);
    expect((await verify(t, first)).status).toBe(200);

    // Act
    const all = await list(t);
    const page1 = await list(t, '?limit=1');
    const page2 = await list(t, `?limit=1&cursor=${encodeURIComponent(page1.nextCursor ?? '')}`);

    // Assess
    expect(all.nextCursor).toBeNull();
    const byName = new Map(all.items.map((d) => [d.domain, d]));
    expect(byName.get(first)).toMatchObject({ status: 'verified', verifiedAt: expect.any(String) });
    expect(byName.get(second)).toMatchObject({ status: 'pending' });
    expect(byName.get(second)).not.toHaveProperty('verifiedAt');
    expect(all.items).toHaveLength(2);
    expect([...page1.items, ...page2.items].map((d) => d.domain).sort()).toEqual([first, second].sort());
    expect(page2.nextCursor).toBeNull();
  });

  it('lets a second tenant add a verified domain but never verify it, until the first removes it', async () => {
    // Prepare: A verified the domain
    const domain = uniqueDomain('contested');
    const ofA = await added(a, domain);
    publishTxt(ofA.txtRecord.name, ofA.txtRecord.value);
    expect((await verify(a, domain)).status).toBe(200);

    // Act 1: B adds it and verifies before publishing its record, then publishes it and verifies
    const ofB = await added(b, domain);
    const unproven = await verify(b, domain);
    publishTxt(ofB.txtRecord.name, ofB.txtRecord.value);
    const refused = await verify(b, domain);

    // Assess 0: without its record in place, B learns nothing about who holds the domain
    expect(unproven.status, unproven.text).toBe(409);
    expect((unproven.body as Problem).detail).not.toMatch(/another organization/);
    expect((unproven.body as Problem).detail).toMatch(/TXT record/);

    // Assess 1: pending for B with its own value; the verify is a conflict that names no one
    expect(ofB.status).toBe('pending');
    expect(ofB.txtRecord.value).not.toBe(ofA.txtRecord.value);
    expect(refused.status, refused.text).toBe(409);
    expect((refused.body as Problem).detail).toMatch(/already verified by another organization/);
    expect(refused.text).not.toContain(a.tenantId);
    expect((await list(b)).items.find((d) => d.domain === domain)?.status).toBe('pending');

    // Act 2: A removes it; then B verifies
    const removed = await remove(a, domain);
    const removedAgain = await remove(a, domain);
    const takenOver = await verify(b, domain);

    // Assess 2
    expect(removed.status, removed.text).toBe(204);
    expect(removedAgain.status, removedAgain.text).toBe(404);
    expect((await list(a)).items.map((d) => d.domain)).not.toContain(domain);
    expect(takenOver.status, takenOver.text).toBe(200);
    expect(takenOver.body).toMatchObject({ domain, status: 'verified' });

    // Act 3: A adds it again and verifies with its (still published) old record and its new one
    const again = await added(a, domain);
    publishTxt(again.txtRecord.name, again.txtRecord.value);
    const refusedNow = await verify(a, domain);

    // Assess 3: B holds it now
    expect(refusedNow.status, refusedNow.text).toBe(409);
    expect(refusedNow.text).not.toContain(b.tenantId);
  });

  it('answers 503 with Retry-After while DNS fails, and verifies once it answers again', async () => {
    // Prepare
    const domain = uniqueDomain('flaky');
    const pending = await added(a, domain);
    publishTxt(pending.txtRecord.name, pending.txtRecord.value);
    failDnsFor(pending.txtRecord.name, true);

    // Act 1
    const unavailable = await verify(a, domain);

    // Assess 1
    expect(unavailable.status, unavailable.text).toBe(503);
    expect(Number(unavailable.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await list(a)).items.find((d) => d.domain === domain)?.status).toBe('pending');

    // Act 2
    failDnsFor(pending.txtRecord.name, false);
    const verified = await verify(a, domain);

    // Assess 2
    expect(verified.status, verified.text).toBe(200);
  });

  it.each([['gmail.com'], ['GoogleMail.com'], ['outlook.com'], ['yahoo.co.uk'], ['mail.yahoo.com'], ['proton.me']])(
    'refuses the public mail domain %s with 400',
    async (domain) => {
      // Act
      const res = await add(a, domain);

      // Assess
      expect(res.status, res.text).toBe(400);
      expect((res.body as Problem).errors).toEqual([{ path: 'domain', message: expect.stringMatching(/public mail provider/) }]);
    },
  );

  it.each([
    ['raw Unicode', { domain: 'bücher.example' }, /punycode/],
    ['a single label', { domain: 'localhost' }, /at least two labels/],
    ['an IP address', { domain: '10.0.0.1' }, /not an IP address/],
    ['a URL', { domain: 'https://acme.example' }, /letters, digits and hyphens/],
    ['an unknown field', { domain: 'acme.example', enforce: true }, /./],
  ])('refuses %s with 400', async (_what, body, message) => {
    // Act
    const res = await api(domains(a), { method: 'POST', token: a.owner.accessToken, body });

    // Assess
    expect(res.status, res.text).toBe(400);
    expect((res.body as Problem).errors?.[0]?.message).toMatch(message);
  });

  it('answers 409 for a domain added twice to a tenant, and 404 for one it does not hold', async () => {
    // Prepare
    const domain = uniqueDomain('twice');
    await added(a, domain);
    const elsewhere = uniqueDomain('elsewhere');
    await added(b, elsewhere);

    // Act
    const twice = await add(a, domain.toUpperCase());
    const verifyUnknown = await verify(a, elsewhere);
    const removeUnknown = await remove(a, elsewhere);

    // Assess
    expect(twice.status, twice.text).toBe(409);
    expect((twice.body as Problem).detail).toContain('already added to this tenant');
    expect(verifyUnknown.status, verifyUnknown.text).toBe(404);
    expect(removeUnknown.status, removeUnknown.text).toBe(404);
    expect((await list(b)).items.map((d) => d.domain)).toContain(elsewhere);
  });

  it('holds at most 20 domains per tenant', async () => {
    // Prepare
    const t = await tenantWithOwner('Domains limit');
    for (let i = 0; i < 20; i++) await added(t, uniqueDomain(`limit-${i}`));

    // Act
    const over = await add(t, uniqueDomain('limit-21'));

    // Assess
    expect(over.status, over.text).toBe(409);
    expect((over.body as Problem).detail).toContain('already holds 20 domains');
  });

  it("is for owners only: an admin gets 403 on every route, and so does another tenant's owner on this tenant's paths", async () => {
    // Prepare
    const domain = uniqueDomain('guarded');
    await added(a, domain);
    const routes = (t: Tenant) => [
      { method: 'POST', path: domains(t), body: { domain: uniqueDomain('guarded-new') } },
      { method: 'GET', path: domains(t) },
      { method: 'POST', path: `${domains(t)}/${domain}/verify` },
      { method: 'DELETE', path: `${domains(t)}/${domain}` },
    ];

    // Act
    const byAdmin = await Promise.all(routes(a).map((r) => api(r.path, { ...r, token: adminOfA.accessToken })));
    const byOtherOwner = await Promise.all(routes(a).map((r) => api(r.path, { ...r, token: b.owner.accessToken })));

    // Assess
    expect(byAdmin.map((r) => r.status)).toEqual([403, 403, 403, 403]);
    expect(byOtherOwner.map((r) => r.status)).toEqual([403, 403, 403, 403]);
    expect((await list(a)).items.find((d) => d.domain === domain)?.status).toBe('pending');
  });

  it('writes domain.added, domain.verified and domain.removed to the audit log', async () => {
    // Prepare
    const t = await tenantWithOwner('Domains audit');
    const domain = uniqueDomain('audited');
    const pending = await added(t, domain);
    publishTxt(pending.txtRecord.name, pending.txtRecord.value);
    expect((await verify(t, domain)).status).toBe(200);
    expect((await remove(t, domain)).status).toBe(204);

    // Act
    const res = await api(`/tenants/${t.tenantId}/audit`, { token: t.owner.accessToken });

    // Assess
    expect(res.status, res.text).toBe(200);
    const events = (res.body as Page<{ type: string; actorId: string; targetId?: string }>).items.filter((e) =>
      e.type.startsWith('domain.'),
    );
    expect(events.map((e) => e.type).sort()).toEqual(['domain.added', 'domain.removed', 'domain.verified']);
    for (const e of events) expect(e).toMatchObject({ actorId: t.owner.userId, targetId: domain });
  });
});
