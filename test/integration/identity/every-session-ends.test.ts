import { ConfirmForgotPasswordCommand, ForgotPasswordCommand } from '@aws-sdk/client-cognito-identity-provider';
import { describe, expect, it } from 'vitest';
import { signInWithSrp } from '../../../scripts/local/sign-in';
import { api } from '../support/api';
import { cognito, decodeJwt, refresh, signIn, type Tokens } from '../support/cognito';
import { auditEventsOf } from '../support/data';
import { mailsTo, verificationCode } from '../support/mail';
import { NEW_PASSWORD, stack } from '../support/stack';
import { tenantWithOwner, waitUntil } from '../support/world';

/** SPEC: an ended session's access tokens are refused within 5 seconds. */
const WITHIN_MS = 5000;

const refusedWithin = (token: string, path = '/me') => waitUntil(async () => (await api(path, { token })).status === 401, WITHIN_MS + 1000);

/** The marker covers the second it was written in: a sign-in right after waits for the next second. */
const nextSecond = () => new Promise((r) => setTimeout(r, 1100 - (Date.now() % 1000)));

const signInWith = (email: string, password: string): Promise<Tokens> => signInWithSrp(stack.cognito, email, password);

/** "Forgot password" as a client does it: the code from the mailbox, then the new password. */
const resetPassword = async (email: string) => {
  const before = mailsTo(email).length;
  await cognito.send(new ForgotPasswordCommand({ ClientId: stack.cognito.clientId, Username: email }));
  await waitUntil(async () => mailsTo(email).length > before, 5000);
  const code = verificationCode(mailsTo(email).at(-1) ?? { to: email, subject: '', text: '', at: '' });
  await cognito.send(
    new ConfirmForgotPasswordCommand({ ClientId: stack.cognito.clientId, Username: email, ConfirmationCode: code, Password: NEW_PASSWORD }),
  );
};

describe('ending every session of a user', () => {
  it('ends every session after a password reset: old access tokens refused within 5 s, old refresh tokens dead', async () => {
    // Prepare: two sessions (two devices) from before the reset, each with a token refreshed once
    const { tenantId, owner } = await tenantWithOwner('Reset');
    const laptop = await signIn(owner.email);
    const phone = await signIn(owner.email);
    const refreshed = await refresh(phone.refreshToken);
    for (const t of [owner.accessToken, laptop.accessToken, refreshed.accessToken])
      expect((await api('/me', { token: t })).status).toBe(200);

    // Act
    await resetPassword(owner.email);

    // Assess: every token from before, on every route, whichever session
    for (const t of [owner.accessToken, laptop.accessToken, refreshed.accessToken]) {
      expect(await refusedWithin(t)).toBeLessThanOrEqual(WITHIN_MS);
      expect((await api(`/tenants/${tenantId}`, { token: t })).status).toBe(401);
    }
    for (const r of [owner.refreshToken, laptop.refreshToken, phone.refreshToken]) await expect(refresh(r)).rejects.toThrow();
    const events = await auditEventsOf(tenantId);
    expect(events.filter((e) => e.type === 'session.revoked')).toEqual([
      expect.objectContaining({ actorId: owner.userId, targetId: owner.userId, details: { scope: 'all', reason: 'password-reset' } }),
    ]);

    // …and signing in with the new password starts a session that works
    await nextSecond();
    const fresh = await signInWith(owner.email, NEW_PASSWORD);
    expect((await api('/me', { token: fresh.accessToken })).status).toBe(200);
  });

  it('signs the caller out everywhere with scope "all": every earlier token refused within 5 s, refresh tokens dead, one event', async () => {
    // Prepare
    const { tenantId, owner } = await tenantWithOwner('Everywhere');
    const other = await signIn(owner.email);

    // Act
    const res = await api('/sessions/revoke', { method: 'POST', token: owner.accessToken, body: { scope: 'all' } });

    // Assess
    expect(res.status).toBe(204);
    for (const t of [owner.accessToken, other.accessToken])
      expect(await refusedWithin(t, `/tenants/${tenantId}/members`)).toBeLessThanOrEqual(WITHIN_MS);
    await expect(refresh(other.refreshToken)).rejects.toThrow();
    await expect(refresh(owner.refreshToken)).rejects.toThrow();
    const revoked = (await auditEventsOf(tenantId)).filter((e) => e.type === 'session.revoked');
    expect(revoked).toEqual([expect.objectContaining({ actorId: owner.userId, details: { scope: 'all', reason: 'sign-out-everywhere' } })]);
    await nextSecond();
    const fresh = await signIn(owner.email);
    expect(decodeJwt(fresh.accessToken).origin_jti).not.toBe(decodeJwt(other.accessToken).origin_jti);
    expect((await api('/me', { token: fresh.accessToken })).status).toBe(200);
  });

  it('refuses an unknown scope and ends nothing', async () => {
    const { owner } = await tenantWithOwner('Scopes');

    const res = await api('/sessions/revoke', { method: 'POST', token: owner.accessToken, body: { scope: 'everything' } });

    expect(res.status).toBe(400);
    expect((await api('/me', { token: owner.accessToken })).status).toBe(200);
    expect(decodeJwt((await refresh(owner.refreshToken)).accessToken).sub).toBe(owner.userId);
  });
});
