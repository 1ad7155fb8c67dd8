import { beforeAll, describe, expect, it } from 'vitest';
import type { TenantCaller } from '../../../src/lib/auth/caller';
import { ConflictError } from '../../../src/lib/errors';
import { changeMemberRole } from '../../../src/lib/members/member-store';
import { api } from '../support/api';
import { membersOf, pendingInvitesFor } from '../support/data';
import { uniqueEmail } from '../support/stack';
import { type Caller, inviteAndSignUp, tenantWithOwner } from '../support/world';

const setRole = (by: Caller, tenantId: string, userId: string, role: string) =>
  api(`/tenants/${tenantId}/members/${userId}`, { method: 'PATCH', token: by.accessToken, body: { role } });

describe('owner rules', () => {
  let tenantId: string;
  let owner: Caller;
  let admin: Caller;
  let member: Caller;

  beforeAll(async () => {
    ({ tenantId, owner } = await tenantWithOwner('Owner rules'));
    admin = await inviteAndSignUp(tenantId, owner, 'admin');
    member = await inviteAndSignUp(tenantId, owner, 'member');
  }, 60_000);

  it('lets an admin change a non-owner role', async () => {
    const res = await setRole(admin, tenantId, member.userId, 'viewer');

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ userId: member.userId, email: member.email, role: 'viewer', joinedAt: expect.any(String) });
  });

  it('refuses an admin who grants owner, or who demotes or removes an owner', async () => {
    expect((await setRole(admin, tenantId, member.userId, 'owner')).status).toBe(403);
    expect((await setRole(admin, tenantId, owner.userId, 'admin')).status).toBe(403);
    expect((await api(`/tenants/${tenantId}/members/${owner.userId}`, { method: 'DELETE', token: admin.accessToken })).status).toBe(403);
  });

  it('refuses an admin who invites an owner', async () => {
    const res = await api(`/tenants/${tenantId}/invites`, {
      method: 'POST',
      token: admin.accessToken,
      body: { email: uniqueEmail('o'), role: 'owner' },
    });

    expect(res.status).toBe(403);
  });

  it('refuses to demote or remove the last owner with 409', async () => {
    const demote = await setRole(owner, tenantId, owner.userId, 'admin');
    const remove = await api(`/tenants/${tenantId}/members/${owner.userId}`, { method: 'DELETE', token: owner.accessToken });

    expect(demote.status).toBe(409);
    expect(remove.status).toBe(409);
    expect((await membersOf(tenantId)).filter((m) => m.role === 'owner')).toHaveLength(1);
  });

  it('rejects an unknown role and unknown fields with 400', async () => {
    const bad = await setRole(owner, tenantId, member.userId, 'superuser');
    const extra = await api(`/tenants/${tenantId}/members/${member.userId}`, {
      method: 'PATCH',
      token: owner.accessToken,
      body: { role: 'viewer', tenantId: 'x' },
    });

    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ errors: [{ path: 'role' }] });
    expect(extra.status).toBe(400);
  });
});

describe('races', () => {
  it('leaves one owner when the last two owners demote each other at the same time', async () => {
    // Prepare: two owners
    const { tenantId, owner: first } = await tenantWithOwner('Racing owners');
    const second = await inviteAndSignUp(tenantId, first, 'owner', 'second-owner');

    // Act
    const [a, b] = await Promise.all([setRole(first, tenantId, second.userId, 'admin'), setRole(second, tenantId, first.userId, 'admin')]);

    // Assess: one wins; the other is refused, by the last-owner rule (409) or, if it
    // started after the first finished, because its caller is no longer an owner (403)
    expect([a.status, b.status].filter((s) => s === 200)).toHaveLength(1);
    expect([409, 403]).toContain([a.status, b.status].find((s) => s !== 200));
    const owners = (await membersOf(tenantId)).filter((m) => m.role === 'owner');
    expect(owners).toHaveLength(1);
  });

  it('leaves one owner when two owners remove each other at the same time', async () => {
    const { tenantId, owner: first } = await tenantWithOwner('Removing owners');
    const second = await inviteAndSignUp(tenantId, first, 'owner', 'second-owner');

    const results = await Promise.all([
      api(`/tenants/${tenantId}/members/${second.userId}`, { method: 'DELETE', token: first.accessToken }),
      api(`/tenants/${tenantId}/members/${first.userId}`, { method: 'DELETE', token: second.accessToken }),
    ]);

    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 204)).toHaveLength(1);
    expect([409, 403]).toContain(statuses.find((s) => s !== 204));
    expect((await membersOf(tenantId)).filter((m) => m.role === 'owner')).toHaveLength(1);
  });

  it('keeps one owner at the database level when demotions of both owners are written at once', async () => {
    // Prepare: two owners, and both demotions decided (as an owner would) before either is written
    const { tenantId, owner: first } = await tenantWithOwner('Racing writes');
    const second = await inviteAndSignUp(tenantId, first, 'owner', 'second-owner');
    const asOwner = (userId: string): TenantCaller => ({
      userId,
      sessionId: 's',
      clientId: 'c',
      isPlatformAdmin: false,
      tenantId,
      role: 'owner',
    });

    // Act
    const outcomes = await Promise.allSettled([
      changeMemberRole(asOwner(second.userId), first.userId, 'admin'),
      changeMemberRole(asOwner(first.userId), second.userId, 'admin'),
    ]);

    // Assess
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const failure = outcomes.find((o) => o.status === 'rejected');
    expect(failure?.status === 'rejected' && failure.reason).toBeInstanceOf(ConflictError);
    expect((await membersOf(tenantId)).filter((m) => m.role === 'owner')).toHaveLength(1);
  });

  it('leaves exactly one pending invite when 20 invites of one email race', async () => {
    // Prepare
    const { tenantId, owner } = await tenantWithOwner('Racing invites');
    const email = uniqueEmail('popular');

    // Act
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        api(`/tenants/${tenantId}/invites`, { method: 'POST', token: owner.accessToken, body: { email, role: 'viewer' } }),
      ),
    );

    // Assess
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    expect(await pendingInvitesFor(email)).toHaveLength(1);
    const listed = await api(`/tenants/${tenantId}/invites?limit=100`, { token: owner.accessToken });
    expect(
      (listed.body as { items: { email: string; status: string }[] }).items.filter((i) => i.email === email && i.status === 'pending'),
    ).toHaveLength(1);
  });
});
