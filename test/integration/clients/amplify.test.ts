import { confirmSignUp, fetchAuthSession, signIn, signOut, signUp } from 'aws-amplify/auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant } from '../../../src/lib/tenants/create-tenant';
import { configureAmplify } from '../support/amplify';
import { api } from '../support/api';
import { decodeJwt } from '../support/cognito';
import { latestCodeMailTo, latestInviteCodeTo, verificationCode } from '../support/mail';
import { operator } from '../support/operator';
import { PASSWORD, uniqueEmail } from '../support/stack';
import { tenantWithOwner } from '../support/world';

/**
 * aws-amplify v6, as a web or mobile app ships it, against the local stack with
 * its default settings: only the Cognito endpoint differs from a deployed stage.
 */
const accessToken = async (forceRefresh = false): Promise<string> => {
  const session = await fetchAuthSession({ forceRefresh });
  const token = session.tokens?.accessToken?.toString();
  if (!token) throw new Error('Amplify holds no access token');
  return token;
};

describe('aws-amplify v6 against the local stack', () => {
  beforeAll(configureAmplify);
  afterAll(() => signOut().catch(() => {}));

  it('signs an invited person up with the invite code, confirms from the mail, signs in (SRP) and calls the API', async () => {
    // Prepare: an invite, as the operator CLI makes it (its email carries the code)
    const email = uniqueEmail('amplify');
    const { tenant } = await createTenant(operator, { name: 'Amplified', ownerEmail: email });

    // Act: what a web app does with the invite link's `invite_code`
    const signedUp = await signUp({
      username: email,
      password: PASSWORD,
      options: { userAttributes: { email }, validationData: { invite_code: await latestInviteCodeTo(email) } },
    });
    const confirmed = await confirmSignUp({ username: email, confirmationCode: verificationCode(await latestCodeMailTo(email)) });
    const signedIn = await signIn({ username: email, password: PASSWORD });
    const token = await accessToken();

    // Assess
    expect(signedUp.nextStep.signUpStep).toBe('CONFIRM_SIGN_UP');
    expect(confirmed.isSignUpComplete).toBe(true);
    expect(signedIn.isSignedIn).toBe(true);
    expect(decodeJwt(token)).toMatchObject({ token_use: 'access', tenant_id: tenant.tenantId, tenant_role: 'owner' });
    const me = await api('/me', { token });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ email, tenantId: tenant.tenantId, role: 'owner' });
  });

  it('refreshes with fetchAuthSession({ forceRefresh: true }): new access token, same session, the API accepts it', async () => {
    const before = await accessToken();

    const after = await accessToken(true);

    expect(after).not.toBe(before);
    expect(decodeJwt(after).origin_jti).toBe(decodeJwt(before).origin_jti);
    expect((await api('/me', { token: after })).status).toBe(200);
  });

  it('carries a switched tenant after the next refresh', async () => {
    // Prepare: the signed-in person is invited into a second tenant and accepts
    const me = (await api('/me', { token: await accessToken() })).body as { email: string };
    const other = await tenantWithOwner('Second');
    const invited = await api(`/tenants/${other.tenantId}/invites`, {
      method: 'POST',
      token: other.owner.accessToken,
      body: { email: me.email, role: 'viewer' },
    });
    const inviteId = (invited.body as { inviteId: string }).inviteId;
    expect((await api(`/me/invites/${inviteId}/accept`, { method: 'POST', token: await accessToken() })).status).toBe(201);

    // Act
    const switched = await api('/me/active-tenant', { method: 'PUT', token: await accessToken(), body: { tenantId: other.tenantId } });
    const token = await accessToken(true);

    // Assess
    expect(switched.status).toBe(200);
    expect(decodeJwt(token)).toMatchObject({ tenant_id: other.tenantId, tenant_role: 'viewer' });
    expect((await api(`/tenants/${other.tenantId}`, { token })).status).toBe(200);
  });

  it('refuses a wrong password without signing in', async () => {
    await signOut();
    const email = uniqueEmail('amplify-wrong');
    await createTenant(operator, { name: 'Wrong', ownerEmail: email });
    await signUp({
      username: email,
      password: PASSWORD,
      options: { userAttributes: { email }, validationData: { invite_code: await latestInviteCodeTo(email) } },
    });
    await confirmSignUp({ username: email, confirmationCode: verificationCode(await latestCodeMailTo(email)) });

    await expect(signIn({ username: email, password: `${PASSWORD}-not` })).rejects.toMatchObject({ name: 'NotAuthorizedException' });
    await expect(fetchAuthSession()).resolves.toMatchObject({ tokens: undefined });
  });
});
