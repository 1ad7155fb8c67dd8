import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { db, tableName } from '../../../src/lib/db/client';
import { inviteRateKey } from '../../../src/lib/db/keys';
import { commit } from '../../../src/lib/db/transaction';
import { newInviteWrites } from '../../../src/lib/invites/invite-store';
import { api } from '../support/api';
import { signUp } from '../support/cognito';
import { auditEventsOf, pendingInvitesFor, tenantSnapshot } from '../support/data';
import { latestInviteCodeTo } from '../support/mail';
import { uniqueEmail } from '../support/stack';
import { inviteAndSignUp, tenantWithOwner } from '../support/world';

const NOT_INVITED = /invitation/i;

describe('invites and membership', () => {
  it('refuses to invite an email that already belongs to a member, the caller included (409), and writes nothing', async () => {
    // Prepare
    const { tenantId, owner } = await tenantWithOwner('Members only once');
    const admin = await inviteAndSignUp(tenantId, owner, 'admin');
    const before = await tenantSnapshot(tenantId);

    // Act
    const own = await api(`/tenants/${tenantId}/invites`, {
      method: 'POST',
      token: admin.accessToken,
      body: { email: admin.email, role: 'admin' },
    });
    const others = await api(`/tenants/${tenantId}/invites`, {
      method: 'POST',
      token: admin.accessToken,
      body: { email: owner.email.toUpperCase(), role: 'viewer' },
    });

    // Assess
    for (const res of [own, others]) {
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ status: 409, detail: expect.stringMatching(/already belongs to a member/) });
    }
    expect(await tenantSnapshot(tenantId)).toBe(before);
  });

  it('lets no removed member back in: removal revokes a pending invite of their email in the same transaction', async () => {
    // Prepare: a member with a pending invite of their own address in the tenant (written as an older
    // release could, before the member rule), e.g. pre-invited by themselves while an admin
    const { tenantId, owner } = await tenantWithOwner('No way back');
    const admin = await inviteAndSignUp(tenantId, owner, 'admin');
    const { invite, writes } = newInviteWrites({ tenantId, email: admin.email, role: 'owner', invitedBy: admin.userId }, new Date());
    await commit([writes.invite, writes.index]);

    // Act
    const removed = await api(`/tenants/${tenantId}/members/${admin.userId}`, { method: 'DELETE', token: owner.accessToken });
    const accept = await api(`/me/invites/${invite.inviteId}/accept`, { method: 'POST', token: admin.accessToken });

    // Assess
    expect(removed.status).toBe(204);
    expect(await pendingInvitesFor(admin.email)).toHaveLength(0);
    expect(accept.status).toBe(409);
    const events = (await auditEventsOf(tenantId)).filter((e) => e.type === 'invite.revoked');
    expect(events).toEqual([expect.objectContaining({ actorId: owner.userId, targetId: invite.inviteId })]);
    // Only a new invite, made by an admin after the removal, lets them back.
    const again = await api(`/tenants/${tenantId}/invites`, {
      method: 'POST',
      token: owner.accessToken,
      body: { email: admin.email, role: 'viewer' },
    });
    expect(again.status).toBe(201);
  });

  it('never returns the invite code over the API, and a code works only for its own invite', async () => {
    // Prepare
    const { tenantId, owner } = await tenantWithOwner('Secrets');
    const email = uniqueEmail('secret');
    const decoy = uniqueEmail('decoy');

    // Act
    const created = await api(`/tenants/${tenantId}/invites`, {
      method: 'POST',
      token: owner.accessToken,
      body: { email, role: 'member' },
    });
    await api(`/tenants/${tenantId}/invites`, { method: 'POST', token: owner.accessToken, body: { email: decoy, role: 'member' } });
    const listed = await api(`/tenants/${tenantId}/invites`, { token: owner.accessToken });
    const code = await latestInviteCodeTo(email);

    // Assess
    expect(created.status).toBe(201);
    expect(Object.keys(created.body as object).sort()).toEqual(['email', 'expiresAt', 'inviteId', 'role']);
    expect(listed.text).not.toContain(code);
    expect(listed.text).not.toMatch(/codeHash|inviteCode/);
    await expect(signUp(decoy, { inviteCode: code })).rejects.toThrow(NOT_INVITED);
  });

  it('answers 429 with Retry-After once a tenant has sent its invites for the hour, and writes nothing', async () => {
    // Prepare: this hour's counter at the limit (100, the stage default)
    const { tenantId, owner } = await tenantWithOwner('Busy');
    const hour = new Date().toISOString().slice(0, 13);
    await db.send(new PutCommand({ TableName: tableName, Item: { ...inviteRateKey(tenantId, hour), entity: 'inviteRate', count: 100 } }));
    const before = await tenantSnapshot(tenantId);

    // Act
    const res = await api(`/tenants/${tenantId}/invites`, {
      method: 'POST',
      token: owner.accessToken,
      body: { email: uniqueEmail('late'), role: 'viewer' },
    });

    // Assess
    expect(res.status).toBe(429);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const retryAfter = Number(res.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(3600);
    expect(await tenantSnapshot(tenantId)).toBe(before);
  });

  it('counts every invite against the hour: the last one allowed passes, the next is refused', async () => {
    // Prepare: one below the limit
    const { tenantId, owner } = await tenantWithOwner('Counting');
    const hour = new Date().toISOString().slice(0, 13);
    await db.send(new PutCommand({ TableName: tableName, Item: { ...inviteRateKey(tenantId, hour), entity: 'inviteRate', count: 99 } }));
    const invite = () =>
      api(`/tenants/${tenantId}/invites`, { method: 'POST', token: owner.accessToken, body: { email: uniqueEmail('n'), role: 'viewer' } });

    // Act + Assess
    expect((await invite()).status).toBe(201);
    expect((await invite()).status).toBe(429);
  });

  it('shows a renamed tenant everywhere at once: in /me and in the invites of people invited before', async () => {
    // Prepare: a member of A, and an existing user with a pending invite into A
    const { tenantId, owner } = await tenantWithOwner('Old name');
    const other = await tenantWithOwner('Elsewhere');
    const invited = await api(`/tenants/${tenantId}/invites`, {
      method: 'POST',
      token: owner.accessToken,
      body: { email: other.owner.email, role: 'viewer' },
    });
    expect(invited.status).toBe(201);

    // Act
    const renamed = await api(`/tenants/${tenantId}`, { method: 'PATCH', token: owner.accessToken, body: { name: 'New name' } });

    // Assess
    expect(renamed.status).toBe(200);
    const me = await api('/me', { token: owner.accessToken });
    expect((me.body as { memberships: unknown[] }).memberships).toEqual([{ tenantId, tenantName: 'New name', role: 'owner' }]);
    const mine = await api('/me/invites', { token: other.owner.accessToken });
    expect((mine.body as { items: unknown[] }).items).toEqual([expect.objectContaining({ tenantId, tenantName: 'New name' })]);
    const accepted = await api(`/me/invites/${(invited.body as { inviteId: string }).inviteId}/accept`, {
      method: 'POST',
      token: other.owner.accessToken,
    });
    expect(accepted.body).toEqual({ tenantId, tenantName: 'New name', role: 'viewer' });
    const afterAccept = await api('/me', { token: other.owner.accessToken });
    expect((afterAccept.body as { memberships: unknown[] }).memberships).toContainEqual({
      tenantId,
      tenantName: 'New name',
      role: 'viewer',
    });
  });
});
