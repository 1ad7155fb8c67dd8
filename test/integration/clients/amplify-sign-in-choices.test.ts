import { AdminDisableUserCommand, AdminEnableUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import { confirmSignIn, fetchAuthSession, setUpTOTP, signIn, signOut, updateMFAPreference, verifyTOTPSetup } from 'aws-amplify/auth';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { configureAmplify } from '../support/amplify';
import { api } from '../support/api';
import { cognito, decodeJwt, refresh } from '../support/cognito';
import { auditEventsOf } from '../support/data';
import { latestCodeMailTo, mailsTo, verificationCode } from '../support/mail';
import { PASSWORD, stack } from '../support/stack';
import { totpCode } from '../support/totp';
import { tenantWithOwner, waitUntil } from '../support/world';

/**
 * aws-amplify v6 with its defaults against the local stack, past the default
 * sign-in: TOTP set-up and sign-in, choice-based sign-in (USER_AUTH) with an
 * emailed code or the password, signing out everywhere, a disabled user.
 */

/**
 * Cognito's own GlobalSignOut reaches the API as an event (EventBridge on AWS,
 * the emulator's delivery here), then within the auth context's 5 s cache.
 */
const DELIVERY_MS = 2000;
const WITHIN_MS = 5000 + DELIVERY_MS;

const accessToken = async (forceRefresh = false): Promise<string> => {
  const token = (await fetchAuthSession({ forceRefresh })).tokens?.accessToken?.toString();
  if (!token) throw new Error('Amplify holds no access token');
  return token;
};

/** The newest sign-in code mailed to `email` after `before` messages. */
const mailedCodeAfter = async (email: string, before: number): Promise<string> => {
  await waitUntil(async () => mailsTo(email).length > before, 5000);
  return verificationCode(await latestCodeMailTo(email));
};

/** TOTP set up and preferred as an app's MFA screen does it (signed in, then signed out); returns the shared secret. */
const withTotp = async (email: string): Promise<string> => {
  await signIn({ username: email, password: PASSWORD });
  const setup = await setUpTOTP();
  await verifyTOTPSetup({ code: totpCode(setup.sharedSecret) });
  await updateMFAPreference({ totp: 'PREFERRED' });
  await signOut();
  return setup.sharedSecret;
};

describe('aws-amplify v6: MFA, choice-based sign-in and sign-out on the local stack', () => {
  beforeAll(configureAmplify);
  beforeEach(() => signOut().catch(() => {}));

  it('sets up TOTP (setUpTOTP, verifyTOTPSetup, updateMFAPreference) and then signs in with password and TOTP code', async () => {
    // Prepare: a signed-in owner
    const { tenantId, owner } = await tenantWithOwner('Totp');
    await signIn({ username: owner.email, password: PASSWORD });

    // Act: set-up as an app's MFA screen does it
    const setup = await setUpTOTP();
    await verifyTOTPSetup({ code: totpCode(setup.sharedSecret) });
    await updateMFAPreference({ totp: 'PREFERRED' });
    await signOut();
    const first = await signIn({ username: owner.email, password: PASSWORD });
    const second = await confirmSignIn({ challengeResponse: totpCode(setup.sharedSecret, 1) });

    // Assess
    expect(setup.getSetupUri('Tenantgate').toString()).toMatch(/^otpauth:\/\/totp\/Tenantgate:.+\?secret=[A-Z2-7]+/);
    expect(first.nextStep.signInStep).toBe('CONFIRM_SIGN_IN_WITH_TOTP_CODE');
    expect(second.isSignedIn).toBe(true);
    const token = await accessToken();
    expect(decodeJwt(token)).toMatchObject({ sub: owner.userId, tenant_id: tenantId, tenant_role: 'owner' });
    expect((await api(`/tenants/${tenantId}`, { token })).status).toBe(200);
  });

  it('refuses a wrong TOTP code and lets the person try again with the right one', async () => {
    // Prepare: TOTP set up
    const { owner } = await tenantWithOwner('Totp wrong');
    const secret = await withTotp(owner.email);
    await signIn({ username: owner.email, password: PASSWORD });
    const right = totpCode(secret, 1);

    // Act + Assess
    await expect(confirmSignIn({ challengeResponse: right === '000000' ? '111111' : '000000' })).rejects.toMatchObject({
      name: 'CodeMismatchException',
    });
    await expect(confirmSignIn({ challengeResponse: right })).resolves.toMatchObject({ isSignedIn: true });
  });

  it('signs in with a code sent by email (USER_AUTH, EMAIL_OTP): the tokens carry the tenant claims', async () => {
    // Prepare
    const { tenantId, owner } = await tenantWithOwner('Email code');
    const before = mailsTo(owner.email).length;

    // Act
    const first = await signIn({ username: owner.email, options: { authFlowType: 'USER_AUTH', preferredChallenge: 'EMAIL_OTP' } });
    const code = await mailedCodeAfter(owner.email, before);
    const second = await confirmSignIn({ challengeResponse: code });

    // Assess
    expect(first.nextStep).toMatchObject({
      signInStep: 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE',
      codeDeliveryDetails: { deliveryMedium: 'EMAIL' },
    });
    expect(code).toMatch(/^\d{8}$/);
    expect(second.isSignedIn).toBe(true);
    const token = await accessToken();
    expect(decodeJwt(token)).toMatchObject({ sub: owner.userId, tenant_id: tenantId, tenant_role: 'owner' });
    expect((await api('/me', { token })).status).toBe(200);
  });

  it('refuses a wrong emailed code, and the code of an earlier sign-in', async () => {
    // Prepare: one sign-in's code
    const { owner } = await tenantWithOwner('Email wrong');
    let before = mailsTo(owner.email).length;
    await signIn({ username: owner.email, options: { authFlowType: 'USER_AUTH', preferredChallenge: 'EMAIL_OTP' } });
    const earlier = await mailedCodeAfter(owner.email, before);
    await signOut();
    before = mailsTo(owner.email).length;
    await signIn({ username: owner.email, options: { authFlowType: 'USER_AUTH', preferredChallenge: 'EMAIL_OTP' } });
    const current = await mailedCodeAfter(owner.email, before);

    // Act + Assess
    await expect(confirmSignIn({ challengeResponse: earlier === current ? '12345678' : earlier })).rejects.toMatchObject({
      name: 'CodeMismatchException',
    });
    await expect(confirmSignIn({ challengeResponse: current })).resolves.toMatchObject({ isSignedIn: true });
  });

  it('offers the first factors to choose from, and signs in with the one chosen (PASSWORD_SRP)', async () => {
    // Prepare
    const { owner } = await tenantWithOwner('Choice');

    // Act
    const first = await signIn({ username: owner.email, options: { authFlowType: 'USER_AUTH' } });
    const second = await confirmSignIn({ challengeResponse: 'PASSWORD_SRP' });
    const third = await confirmSignIn({ challengeResponse: PASSWORD });

    // Assess
    expect(first.nextStep).toMatchObject({ signInStep: 'CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION' });
    expect(first.nextStep.signInStep === 'CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION' && first.nextStep.availableChallenges).toEqual(
      expect.arrayContaining(['PASSWORD_SRP', 'PASSWORD', 'EMAIL_OTP']),
    );
    expect(second.nextStep.signInStep).toBe('CONFIRM_SIGN_IN_WITH_PASSWORD');
    expect(third.isSignedIn).toBe(true);
    expect(decodeJwt(await accessToken()).sub).toBe(owner.userId);
  });

  it('does not offer an emailed code to a person who has set up TOTP: the password and the TOTP code it is', async () => {
    // Prepare
    const { owner } = await tenantWithOwner('Choice mfa');
    await withTotp(owner.email);

    // Act
    const offered = await signIn({ username: owner.email, options: { authFlowType: 'USER_AUTH' } });

    // Assess
    expect(offered.nextStep.signInStep === 'CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION' && offered.nextStep.availableChallenges).toEqual([
      'PASSWORD_SRP',
      'PASSWORD',
    ]);
  });

  it('signs out everywhere with signOut({ global: true }): every earlier access token refused by the API once the event is in (5 s + delivery), refresh tokens dead, one event', async () => {
    // Prepare: the same person signed in on a second device (the support helper's own SRP sign-in)
    const { tenantId, owner } = await tenantWithOwner('Global');
    await signIn({ username: owner.email, password: PASSWORD });
    const amplifyToken = await accessToken();

    // Act
    await signOut({ global: true });

    // Assess
    for (const token of [amplifyToken, owner.accessToken]) {
      expect(
        await waitUntil(async () => (await api(`/tenants/${tenantId}`, { token })).status === 401, WITHIN_MS + 1000),
      ).toBeLessThanOrEqual(WITHIN_MS);
    }
    await expect(refresh(owner.refreshToken)).rejects.toMatchObject({ name: 'NotAuthorizedException' });
    const revoked = (await auditEventsOf(tenantId)).filter((e) => e.type === 'session.revoked');
    expect(revoked).toEqual([
      expect.objectContaining({ actorId: owner.userId, details: { scope: 'all', reason: 'cognito-global-sign-out' } }),
    ]);
  });

  it('refuses a disabled person at sign-in and at refresh, and lets them in once enabled again', async () => {
    // Prepare: signed in
    const { owner } = await tenantWithOwner('Disabled amplify');
    await signIn({ username: owner.email, password: PASSWORD });
    const user = { UserPoolId: stack.cognito.userPoolId, Username: owner.email };

    // Act
    await cognito.send(new AdminDisableUserCommand(user));

    // Assess: the refresh is refused, and Amplify drops the session it held (it does not throw)
    await expect(fetchAuthSession({ forceRefresh: true })).resolves.toMatchObject({ tokens: undefined });
    await signOut();
    await expect(signIn({ username: owner.email, password: PASSWORD })).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: 'User is disabled.',
    });
    await cognito.send(new AdminEnableUserCommand(user));
    await expect(signIn({ username: owner.email, password: PASSWORD })).resolves.toMatchObject({ isSignedIn: true });
  });
});
