import { randomUUID } from 'node:crypto';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { auditItem, toAuditEvent } from '../../../src/lib/audit/audit-event';
import { db, tableName } from '../../../src/lib/db/client';
import { api } from '../support/api';
import { anotherAppClient, signIn } from '../support/cognito';
import { auditEventsOf } from '../support/data';
import { latestMailTo } from '../support/mail';
import { uniqueEmail } from '../support/stack';
import { makePlatformAdmin, tenantWithOwner } from '../support/world';

type AuditEvent = { at: string; type: string; actorId: string; targetId?: string; details: Record<string, unknown> };
type Page<T> = { items: T[]; nextCursor: string | null };

const readAllPages = async (path: string, token: string, limit: number) => {
  const events: AuditEvent[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const res = await api(`${path}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token });
    expect(res.status, res.text).toBe(200);
    const page = res.body as Page<AuditEvent>;
    expect(page.items.length).toBeLessThanOrEqual(limit);
    events.push(...page.items);
    cursor = page.nextCursor;
    pages++;
  } while (cursor);
  return { events, pages };
};

describe('the audit log', () => {
  it('holds exactly one event per mutation and per sign-in, newest first, across pages', async () => {
    // Identical sign-ins of one user and app client within 10 s are one login to the audit log (a
    // retried PostAuthentication cannot be told from them), so each sign-in here uses its own client.
    // Prepare: a tenant made by the operator, whose owner signed up and in (5 events)
    const { tenantId, owner } = await tenantWithOwner('Audited');
    const base = `/tenants/${tenantId}`;

    // Act: N = 6 mutations and 3 sign-ins, two of them new logins
    const mutations = [
      await api(base, { method: 'PATCH', token: owner.accessToken, body: { name: 'Audited Inc' } }),
      await api(base, { method: 'PATCH', token: owner.accessToken, body: { name: 'Audited Ltd' } }),
      await api(`${base}/invites`, { method: 'POST', token: owner.accessToken, body: { email: uniqueEmail('a1'), role: 'viewer' } }),
      await api(`${base}/invites`, { method: 'POST', token: owner.accessToken, body: { email: uniqueEmail('a2'), role: 'member' } }),
    ];
    const revokeId = (mutations[3]?.body as { inviteId?: string } | undefined)?.inviteId;
    mutations.push(await api(`${base}/invites/${revokeId}`, { method: 'DELETE', token: owner.accessToken }));
    // Sign-in 1: the same user and client as the sign-up's sign-in seconds ago, so the same login.
    const spare = await signIn(owner.email);
    mutations.push(await api('/sessions/revoke', { method: 'POST', token: spare.accessToken }));
    await signIn(owner.email, await anotherAppClient('audit-2')); // sign-in 2
    await signIn(owner.email, await anotherAppClient('audit-3')); // sign-in 3
    for (const m of mutations) expect(m.status, m.text).toBeLessThan(300);
    // Refused requests and reads are not events.
    await api(base, { method: 'PATCH', token: owner.accessToken, body: { name: '' } });
    await api(`${base}/members`, { token: owner.accessToken });

    // Assess
    const { events, pages } = await readAllPages(`${base}/audit`, owner.accessToken, 4);
    const expected = [
      ...['tenant.created', 'invite.created', 'auth.signup', 'invite.accepted', 'auth.login'],
      ...['tenant.updated', 'tenant.updated', 'invite.created', 'invite.created', 'invite.revoked', 'session.revoked'],
      ...['auth.login', 'auth.login'],
    ];
    expect(events.map((e) => e.type).sort()).toEqual(expected.sort());
    expect(pages).toBe(Math.ceil(expected.length / 4));
    const times = events.map((e) => e.at);
    expect(times).toEqual([...times].sort().reverse());
    expect(events.find((e) => e.type === 'tenant.updated')).toMatchObject({ actorId: owner.userId, details: { to: 'Audited Ltd' } });
    expect(events.find((e) => e.type === 'tenant.updated')).toEqual(expect.objectContaining({ userAgent: expect.any(String) }));
  });

  it('filters by ?from= and ?to=, and refuses a bad date with 400', async () => {
    const { tenantId, owner } = await tenantWithOwner('Audit window');
    const all = (await api(`/tenants/${tenantId}/audit`, { token: owner.accessToken })).body as Page<AuditEvent>;
    const oldest = all.items.at(-1)?.at ?? '';
    const future = new Date(Date.now() + 3_600_000).toISOString();

    const none = await api(`/tenants/${tenantId}/audit?from=${future}`, { token: owner.accessToken });
    const upToOldest = await api(`/tenants/${tenantId}/audit?to=${oldest}`, { token: owner.accessToken });
    const bad = await api(`/tenants/${tenantId}/audit?from=yesterday`, { token: owner.accessToken });
    const reversed = await api(`/tenants/${tenantId}/audit?from=${future}&to=${oldest}`, { token: owner.accessToken });

    expect((none.body as Page<AuditEvent>).items).toEqual([]);
    expect((upToOldest.body as Page<AuditEvent>).items.every((e) => e.at <= oldest)).toBe(true);
    expect((upToOldest.body as Page<AuditEvent>).items.length).toBeGreaterThan(0);
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ errors: [{ path: 'from' }] });
    expect(reversed.status).toBe(400);
  });

  it('lists a log spread over every shard and the pre-sharding partition as one, exactly, newest first, on any page size', async () => {
    // Prepare: 160 events over the last day straight into the table, some in one millisecond, every 8th
    // where events went before the log was sharded; a second tenant's log beside it
    const { tenantId, owner } = await tenantWithOwner('Sharded log');
    const other = await tenantWithOwner('Sharded neighbour');
    const now = Date.now();
    const seeded = Array.from({ length: 160 }, (_, i) => {
      const at = new Date(now - 60_000 - (i % 16 === 0 ? 0 : Math.floor(Math.random() * 86_400_000)));
      const item = auditItem(tenantId, { type: 'file.uploaded', actorId: `seeded-${i}`, details: { i } }, at, 1, randomUUID());
      return i % 8 === 0 ? { ...item, pk: `TENANT#${tenantId}#AUDIT` } : item;
    });
    for (let i = 0; i < seeded.length; i += 25) {
      const batch = seeded.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
      await db.send(new BatchWriteCommand({ RequestItems: { [tableName]: batch } }));
    }
    const stored = (await auditEventsOf(tenantId)).reverse().map(toAuditEvent);
    expect(stored.length).toBeGreaterThanOrEqual(165);

    // Act
    const byPageSize = [7, 50, 100].map((limit) => readAllPages(`/tenants/${tenantId}/audit`, owner.accessToken, limit));
    const within = await readAllPages(
      `/tenants/${tenantId}/audit?from=${new Date(now - 43_200_000).toISOString()}&to=${new Date(now - 60_000).toISOString()}`,
      owner.accessToken,
      9,
    );
    const first = (await api(`/tenants/${tenantId}/audit?limit=5`, { token: owner.accessToken })).body as Page<AuditEvent>;
    const foreign = await api(`/tenants/${other.tenantId}/audit?cursor=${encodeURIComponent(first.nextCursor ?? '')}`, {
      token: other.owner.accessToken,
    });

    // Assess: the same list whatever the page size, and exactly what the table holds
    for (const { events, pages } of await Promise.all(byPageSize)) {
      expect(events).toEqual(stored);
      expect(pages).toBeGreaterThan(1);
    }
    const inWindow = stored.filter((e) => e.at >= new Date(now - 43_200_000).toISOString() && e.at <= new Date(now - 60_000).toISOString());
    expect(within.events).toEqual(inWindow);
    expect(foreign.status).toBe(400);
  });

  it('refuses a limit outside 1–100 with 400', async () => {
    const { tenantId, owner } = await tenantWithOwner('Limits');

    for (const limit of ['0', '101', 'ten', '-1']) {
      expect((await api(`/tenants/${tenantId}/audit?limit=${limit}`, { token: owner.accessToken })).status, limit).toBe(400);
    }
  });
});

describe('tenants', () => {
  it('lets a platform admin create a tenant, answers 201 { tenant, invite } and mails the owner invite', async () => {
    // Prepare
    const { owner } = await tenantWithOwner('Platform');
    const admin = await makePlatformAdmin(owner);
    const ownerEmail = uniqueEmail('new-owner');

    // Act
    const res = await api('/tenants', { method: 'POST', token: admin.accessToken, body: { name: 'Brand New', ownerEmail } });

    // Assess
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      tenant: { tenantId: expect.any(String), name: 'Brand New', createdAt: expect.any(String) },
      invite: {
        inviteId: expect.any(String),
        tenantId: (res.body as { tenant: { tenantId: string } }).tenant.tenantId,
        email: ownerEmail,
        role: 'owner',
        status: 'pending',
        expiresAt: expect.any(String),
        createdAt: expect.any(String),
      },
    });
    const mail = await latestMailTo(ownerEmail);
    expect(mail.subject).toContain('Brand New');
    expect(mail.text).toContain((res.body as { invite: { inviteId: string } }).invite.inviteId);
  });

  it('reads and renames a tenant, and rejects an invalid name', async () => {
    const { tenantId, owner } = await tenantWithOwner('Renamable');

    const read = await api(`/tenants/${tenantId}`, { token: owner.accessToken });
    const renamed = await api(`/tenants/${tenantId}`, { method: 'PATCH', token: owner.accessToken, body: { name: '  Renamed  ' } });
    const empty = await api(`/tenants/${tenantId}`, { method: 'PATCH', token: owner.accessToken, body: { name: '   ' } });
    const wrongType = await api(`/tenants/${tenantId}`, { method: 'PATCH', token: owner.accessToken, body: { name: 42 } });
    const notJson = await api(`/tenants/${tenantId}`, {
      method: 'PATCH',
      token: owner.accessToken,
      body: 'name=x',
      headers: { 'content-type': 'text/plain' },
    });

    expect(read.body).toEqual({ tenantId, name: 'Renamable', createdAt: expect.any(String) });
    expect(renamed.body).toMatchObject({ tenantId, name: 'Renamed' });
    expect((await api(`/tenants/${tenantId}`, { token: owner.accessToken })).body).toMatchObject({ name: 'Renamed' });
    for (const bad of [empty, wrongType, notJson]) {
      expect(bad.status).toBe(400);
      expect(bad.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    }
    expect(empty.body).toMatchObject({ errors: [{ path: 'name' }] });
  });

  it('sends the invite email when an admin invites someone', async () => {
    const { tenantId, owner } = await tenantWithOwner('Mailing');
    const email = uniqueEmail('mailed');

    const res = await api(`/tenants/${tenantId}/invites`, { method: 'POST', token: owner.accessToken, body: { email, role: 'member' } });

    expect(res.status).toBe(201);
    expect(res.body).toEqual({ inviteId: expect.any(String), email, role: 'member', expiresAt: expect.any(String) });
    expect((await latestMailTo(email)).text).toContain('as member');
  });
});
