import { beforeAll, describe, expect, it } from 'vitest';
import { api } from '../support/api';
import { tenantSnapshot } from '../support/data';
import { uniqueEmail } from '../support/stack';
import { type Caller, inviteAndSignUp, tenantWithOwner } from '../support/world';

describe('tenant isolation', () => {
  let a: { tenantId: string; owner: Caller; member: Caller; inviteId: string };
  let b: { tenantId: string; owner: Caller };

  beforeAll(async () => {
    const ta = await tenantWithOwner('Isolated A');
    const member = await inviteAndSignUp(ta.tenantId, ta.owner, 'member');
    const invite = await api(`/tenants/${ta.tenantId}/invites`, {
      method: 'POST',
      token: ta.owner.accessToken,
      body: { email: uniqueEmail('pending-a'), role: 'viewer' },
    });
    a = { ...ta, member, inviteId: (invite.body as { inviteId: string }).inviteId };
    b = await tenantWithOwner('Isolated B');
  }, 60_000);

  const foreignPathCalls = () => [
    { method: 'GET', path: `/tenants/${a.tenantId}` },
    { method: 'PATCH', path: `/tenants/${a.tenantId}`, body: { name: 'Taken over' } },
    { method: 'GET', path: `/tenants/${a.tenantId}/members` },
    { method: 'PATCH', path: `/tenants/${a.tenantId}/members/${a.member.userId}`, body: { role: 'owner' } },
    { method: 'DELETE', path: `/tenants/${a.tenantId}/members/${a.member.userId}` },
    { method: 'POST', path: `/tenants/${a.tenantId}/invites`, body: { email: uniqueEmail('intruder'), role: 'owner' } },
    { method: 'GET', path: `/tenants/${a.tenantId}/invites` },
    { method: 'DELETE', path: `/tenants/${a.tenantId}/invites/${a.inviteId}` },
    { method: 'GET', path: `/tenants/${a.tenantId}/audit` },
  ];

  it("answers 403 to every route called with another tenant's id, and changes nothing", async () => {
    const before = await tenantSnapshot(a.tenantId);

    for (const call of foreignPathCalls()) {
      const res = await api(call.path, { method: call.method, token: b.owner.accessToken, ...(call.body ? { body: call.body } : {}) });
      expect(res.status, `${call.method} ${call.path}`).toBe(403);
    }

    expect(await tenantSnapshot(a.tenantId)).toBe(before);
  });

  it("answers 404 to the caller's own tenant routes given another tenant's object ids, and changes nothing", async () => {
    const before = await tenantSnapshot(a.tenantId);
    const calls = [
      { method: 'PATCH', path: `/tenants/${b.tenantId}/members/${a.member.userId}`, body: { role: 'viewer' } },
      { method: 'DELETE', path: `/tenants/${b.tenantId}/members/${a.member.userId}` },
      { method: 'DELETE', path: `/tenants/${b.tenantId}/invites/${a.inviteId}` },
      { method: 'POST', path: `/me/invites/${a.inviteId}/accept` },
    ];

    for (const call of calls) {
      const res = await api(call.path, { method: call.method, token: b.owner.accessToken, ...(call.body ? { body: call.body } : {}) });
      expect(res.status, `${call.method} ${call.path}`).toBe(404);
    }

    expect(await tenantSnapshot(a.tenantId)).toBe(before);
  });

  it("refuses another tenant's list cursor with 400", async () => {
    // Prepare: a real cursor of tenant A's member list
    const page = await api(`/tenants/${a.tenantId}/members?limit=1`, { token: a.owner.accessToken });
    const cursor = (page.body as { nextCursor: string }).nextCursor;
    expect(cursor).toEqual(expect.any(String));

    // Act
    const res = await api(`/tenants/${b.tenantId}/members?cursor=${encodeURIComponent(cursor)}`, { token: b.owner.accessToken });

    // Assess
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ errors: [{ path: 'cursor' }] });
  });

  it('refuses a tampered cursor and a cursor of another list with 400', async () => {
    const page = await api(`/tenants/${a.tenantId}/members?limit=1`, { token: a.owner.accessToken });
    const cursor = (page.body as { nextCursor: string }).nextCursor;
    const flipped = `${cursor.slice(0, -2)}${cursor.endsWith('A') ? 'B' : 'A'}${cursor.slice(-1)}`;

    const tampered = await api(`/tenants/${a.tenantId}/members?cursor=${flipped}`, { token: a.owner.accessToken });
    const otherList = await api(`/tenants/${a.tenantId}/invites?cursor=${cursor}`, { token: a.owner.accessToken });

    expect(tampered.status).toBe(400);
    expect(otherList.status).toBe(400);
  });

  it('rejects a tenant id smuggled into a body as an unknown field', async () => {
    const res = await api(`/tenants/${b.tenantId}/invites`, {
      method: 'POST',
      token: b.owner.accessToken,
      body: { email: uniqueEmail('smuggled'), role: 'viewer', tenantId: a.tenantId },
    });

    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ errors: [{ path: '(root)', message: 'unknown field: tenantId' }] });
  });

  it('refuses to switch the active tenant to a tenant the caller does not belong to', async () => {
    const res = await api('/me/active-tenant', { method: 'PUT', token: b.owner.accessToken, body: { tenantId: a.tenantId } });

    expect(res.status).toBe(403);
  });
});
