import { InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { describe, expect, it } from 'vitest';
import { api } from '../support/api';
import { cognito, decodeJwt, refresh, signIn } from '../support/cognito';
import { stack } from '../support/stack';
import { inviteAndSignUp, tenantWithOwner, waitUntil } from '../support/world';

/** SPEC: revocation, role lowering and removal take effect within 5 seconds. */
const WITHIN_MS = 5000;

describe('changes take effect within 5 seconds, not at token expiry', () => {
  it('refuses every access token of a revoked session, including ones refreshed later', async () => {
    // Prepare
    const { tenantId, owner } = await tenantWithOwner('Revocation');
    const session = await signIn(owner.email);
    const refreshedBefore = await refresh(session.refreshToken);
    expect((await api(`/tenants/${tenantId}`, { token: session.accessToken })).status).toBe(200);

    // Act
    const revoked = await api('/sessions/revoke', { method: 'POST', token: session.accessToken });

    // Assess
    expect(revoked.status).toBe(204);
    const tookMs = await waitUntil(
      async () => (await api(`/tenants/${tenantId}`, { token: session.accessToken })).status === 401,
      WITHIN_MS + 1000,
    );
    expect(tookMs).toBeLessThanOrEqual(WITHIN_MS);
    expect((await api('/me', { token: refreshedBefore.accessToken })).status).toBe(401);
    const refreshedAfter = await refresh(session.refreshToken);
    expect(decodeJwt(refreshedAfter.accessToken).origin_jti).toBe(decodeJwt(session.accessToken).origin_jti);
    expect((await api('/me', { token: refreshedAfter.accessToken })).status).toBe(401);
    // The caller's other sessions are untouched.
    expect((await api('/me', { token: owner.accessToken })).status).toBe(200);
  });

  it('also revokes the refresh token at Cognito when it is given', async () => {
    const { owner } = await tenantWithOwner('Revocation with refresh');
    const session = await signIn(owner.email);

    const res = await api('/sessions/revoke', { method: 'POST', token: session.accessToken, body: { refreshToken: session.refreshToken } });

    expect(res.status).toBe(204);
    await expect(
      cognito.send(
        new InitiateAuthCommand({
          ClientId: stack.cognito.clientId,
          AuthFlow: 'REFRESH_TOKEN_AUTH',
          AuthParameters: { REFRESH_TOKEN: session.refreshToken },
        }),
      ),
    ).rejects.toThrow();
  });

  it('refuses a refresh token that is not one, and revokes nothing', async () => {
    const { owner } = await tenantWithOwner('Bad refresh token');
    const session = await signIn(owner.email);

    const res = await api('/sessions/revoke', { method: 'POST', token: session.accessToken, body: { refreshToken: 'not-a-token' } });

    expect(res.status).toBe(400);
    expect((await api('/me', { token: session.accessToken })).status).toBe(200);
  });

  it('applies a lowered role within 5 seconds, and the next refresh carries it', async () => {
    // Prepare
    const { tenantId, owner } = await tenantWithOwner('Lowering');
    const admin = await inviteAndSignUp(tenantId, owner, 'admin');
    expect((await api(`/tenants/${tenantId}/invites`, { token: admin.accessToken })).status).toBe(200);

    // Act
    const lowered = await api(`/tenants/${tenantId}/members/${admin.userId}`, {
      method: 'PATCH',
      token: owner.accessToken,
      body: { role: 'viewer' },
    });

    // Assess
    expect(lowered.status).toBe(200);
    const tookMs = await waitUntil(
      async () => (await api(`/tenants/${tenantId}/invites`, { token: admin.accessToken })).status === 403,
      WITHIN_MS + 1000,
    );
    expect(tookMs).toBeLessThanOrEqual(WITHIN_MS);
    expect((await api(`/tenants/${tenantId}`, { token: admin.accessToken })).status).toBe(200);
    expect(decodeJwt((await refresh(admin.refreshToken)).accessToken)).toMatchObject({ tenant_id: tenantId, tenant_role: 'viewer' });
  });

  it('shuts a removed member out within 5 seconds, and the next refresh carries no tenant', async () => {
    // Prepare
    const { tenantId, owner } = await tenantWithOwner('Removal');
    const member = await inviteAndSignUp(tenantId, owner, 'member');
    expect((await api(`/tenants/${tenantId}/members`, { token: member.accessToken })).status).toBe(200);

    // Act
    const removed = await api(`/tenants/${tenantId}/members/${member.userId}`, { method: 'DELETE', token: owner.accessToken });

    // Assess
    expect(removed.status).toBe(204);
    const tookMs = await waitUntil(
      async () => (await api(`/tenants/${tenantId}/members`, { token: member.accessToken })).status === 403,
      WITHIN_MS + 1000,
    );
    expect(tookMs).toBeLessThanOrEqual(WITHIN_MS);
    const claims = decodeJwt((await refresh(member.refreshToken)).accessToken);
    expect(claims.tenant_id).toBeUndefined();
    expect(claims.tenant_role).toBeUndefined();
    expect((await api('/me', { token: member.accessToken })).body).toMatchObject({ tenantId: null, role: null, memberships: [] });
  });
});

describe('a second tenant for a person who already has an account', () => {
  it('lists the invite under GET /me/invites, accepts it, and switches the active tenant', async () => {
    // Prepare: a member of A, invited into B
    const a = await tenantWithOwner('First home');
    const person = await inviteAndSignUp(a.tenantId, a.owner, 'member', 'two-homes');
    const b = await tenantWithOwner('Second home');
    const invited = await api(`/tenants/${b.tenantId}/invites`, {
      method: 'POST',
      token: b.owner.accessToken,
      body: { email: person.email, role: 'admin' },
    });
    const inviteId = (invited.body as { inviteId: string }).inviteId;

    // Act 1: list and accept
    const mine = await api('/me/invites', { token: person.accessToken });
    const accepted = await api(`/me/invites/${inviteId}/accept`, { method: 'POST', token: person.accessToken });
    const again = await api(`/me/invites/${inviteId}/accept`, { method: 'POST', token: person.accessToken });

    // Assess 1
    expect(mine.status).toBe(200);
    expect(mine.body).toEqual({
      items: [expect.objectContaining({ inviteId, tenantId: b.tenantId, email: person.email, role: 'admin', status: 'pending' })],
      nextCursor: null,
    });
    expect(accepted.status).toBe(201);
    expect(accepted.body).toEqual({ tenantId: b.tenantId, tenantName: 'Second home', role: 'admin' });
    expect(again.status).toBe(409);
    expect((await api('/me/invites', { token: person.accessToken })).body).toEqual({ items: [], nextCursor: null });
    // The caller already had an active tenant, so it stays A until they switch.
    expect(decodeJwt((await refresh(person.refreshToken)).accessToken)).toMatchObject({ tenant_id: a.tenantId });

    // Act 2: switch
    const switched = await api('/me/active-tenant', { method: 'PUT', token: person.accessToken, body: { tenantId: b.tenantId } });

    // Assess 2
    expect(switched.status).toBe(200);
    expect(switched.body).toEqual({ tenantId: b.tenantId });
    const tokens = await refresh(person.refreshToken);
    expect(decodeJwt(tokens.accessToken)).toMatchObject({ tenant_id: b.tenantId, tenant_role: 'admin' });
    expect((await api(`/tenants/${b.tenantId}/invites`, { token: tokens.accessToken })).status).toBe(200);
    expect((await api('/me', { token: tokens.accessToken })).body).toMatchObject({
      tenantId: b.tenantId,
      role: 'admin',
      memberships: [
        { tenantId: a.tenantId, tenantName: 'First home', role: 'member' },
        { tenantId: b.tenantId, tenantName: 'Second home', role: 'admin' },
      ],
    });
  });

  it('makes the accepted tenant active for a caller who had no tenant left', async () => {
    // Prepare: a member removed from A (no membership left), then invited into B
    const a = await tenantWithOwner('Left behind');
    const person = await inviteAndSignUp(a.tenantId, a.owner, 'member', 'homeless');
    expect((await api(`/tenants/${a.tenantId}/members/${person.userId}`, { method: 'DELETE', token: a.owner.accessToken })).status).toBe(
      204,
    );
    const b = await tenantWithOwner('New home');
    const invited = await api(`/tenants/${b.tenantId}/invites`, {
      method: 'POST',
      token: b.owner.accessToken,
      body: { email: person.email, role: 'viewer' },
    });

    // Act
    const accepted = await api(`/me/invites/${(invited.body as { inviteId: string }).inviteId}/accept`, {
      method: 'POST',
      token: person.accessToken,
    });

    // Assess: the next tokens carry B without any switch
    expect(accepted.status).toBe(201);
    const tokens = await refresh(person.refreshToken);
    expect(decodeJwt(tokens.accessToken)).toMatchObject({ tenant_id: b.tenantId, tenant_role: 'viewer' });
    expect((await api('/me', { token: tokens.accessToken })).body).toMatchObject({ tenantId: b.tenantId, role: 'viewer' });
  });

  it("refuses to accept someone else's invite", async () => {
    const a = await tenantWithOwner('Not yours');
    const invited = await api(`/tenants/${a.tenantId}/invites`, {
      method: 'POST',
      token: a.owner.accessToken,
      body: { email: 'someone-else@example.test', role: 'viewer' },
    });
    const stranger = await tenantWithOwner('Stranger');

    const res = await api(`/me/invites/${(invited.body as { inviteId: string }).inviteId}/accept`, {
      method: 'POST',
      token: stranger.owner.accessToken,
    });

    expect(res.status).toBe(404);
  });

  it('refuses to accept a revoked invite, and revoking twice is a conflict', async () => {
    const a = await tenantWithOwner('Revoked later');
    const person = await tenantWithOwner('Person home');
    const invited = await api(`/tenants/${a.tenantId}/invites`, {
      method: 'POST',
      token: a.owner.accessToken,
      body: { email: person.owner.email, role: 'viewer' },
    });
    const inviteId = (invited.body as { inviteId: string }).inviteId;

    const revoked = await api(`/tenants/${a.tenantId}/invites/${inviteId}`, { method: 'DELETE', token: a.owner.accessToken });
    const revokedAgain = await api(`/tenants/${a.tenantId}/invites/${inviteId}`, { method: 'DELETE', token: a.owner.accessToken });
    const accept = await api(`/me/invites/${inviteId}/accept`, { method: 'POST', token: person.owner.accessToken });

    expect(revoked.status).toBe(204);
    expect(revokedAgain.status).toBe(409);
    expect(accept.status).toBe(409);
  });
});
