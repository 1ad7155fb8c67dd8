import { AdminDisableUserCommand, InitiateAuthCommand, InvalidParameterException } from '@aws-sdk/client-cognito-identity-provider';
import { AuthenticationDetails, type CognitoUser, type CognitoUserSession } from 'amazon-cognito-identity-js';
import { describe, expect, it } from 'vitest';
import { cognitoUser } from '../../../scripts/local/sign-in';
import { createTenant } from '../../../src/lib/tenants/create-tenant';
import { api } from '../support/api';
import { cognito, confirmWithMailedCode, decodeJwt, signUp } from '../support/cognito';
import { auditEventsOf } from '../support/data';
import { operator } from '../support/operator';
import { PASSWORD, stack, uniqueEmail } from '../support/stack';

/**
 * SPEC §2: the local stack's app client allows exactly the deployed one's
 * flows, so a client library works unchanged against both. Here that library
 * is amazon-cognito-identity-js with its defaults (USER_SRP_AUTH); only the
 * endpoint says it is not AWS.
 */

/** `authenticateUser` as an app calls it; resolves the session, rejects with the library's error. */
const authenticate = (user: CognitoUser, password: string) =>
  new Promise<CognitoUserSession>((resolve, reject) =>
    user.authenticateUser(new AuthenticationDetails({ Username: user.getUsername(), Password: password }), {
      onSuccess: resolve,
      onFailure: reject,
    }),
  );

const refreshSession = (user: CognitoUser, session: CognitoUserSession) =>
  new Promise<CognitoUserSession>((resolve, reject) =>
    user.refreshSession(session.getRefreshToken(), (err: unknown, refreshed: CognitoUserSession) =>
      err ? reject(err) : resolve(refreshed),
    ),
  );

const INCORRECT = { code: 'NotAuthorizedException', message: 'Incorrect username or password.' };

/** An invited owner of a new tenant who signed up and confirmed, not yet signed in. */
const invitedOwner = async (label: string) => {
  const email = uniqueEmail(label);
  const { tenant } = await createTenant(operator, { name: `SRP ${label}`, ownerEmail: email });
  await signUp(email);
  await confirmWithMailedCode(email);
  return { email, tenantId: tenant.tenantId };
};

describe('signing in with amazon-cognito-identity-js against the local stack', () => {
  it('signs an invited user in with SRP, its default flow, and the tokens carry the tenant claims', async () => {
    // Prepare
    const { email, tenantId } = await invitedOwner('srp');
    const user = cognitoUser(stack.cognito, email);
    expect(user.getAuthenticationFlowType()).toBe('USER_SRP_AUTH');

    // Act
    const session = await authenticate(user, PASSWORD);

    // Assess
    const access = decodeJwt(session.getAccessToken().getJwtToken());
    const id = decodeJwt(session.getIdToken().getJwtToken());
    expect(access).toMatchObject({ token_use: 'access', client_id: stack.cognito.clientId, tenant_id: tenantId, tenant_role: 'owner' });
    expect(id).toMatchObject({ token_use: 'id', email, tenant_id: tenantId, tenant_role: 'owner' });
    expect(session.getRefreshToken().getToken()).not.toBe('');
    const me = await api('/me', { token: session.getAccessToken().getJwtToken() });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ email, tenantId, role: 'owner' });
    // PostAuthentication ran for the SRP sign-in as it does on AWS.
    const logins = (await auditEventsOf(tenantId)).filter((e) => e.type === 'auth.login' && e.actorId === access.sub);
    expect(logins).toHaveLength(1);
  });

  it('refreshes the session with refreshSession: new tokens of the same session, with the claims', async () => {
    // Prepare
    const { email, tenantId } = await invitedOwner('srp-refresh');
    const user = cognitoUser(stack.cognito, email);
    const session = await authenticate(user, PASSWORD);

    // Act
    const refreshed = await refreshSession(user, session);

    // Assess
    const before = decodeJwt(session.getAccessToken().getJwtToken());
    const after = decodeJwt(refreshed.getAccessToken().getJwtToken());
    expect(after.jti).not.toBe(before.jti);
    expect(after).toMatchObject({ sub: before.sub, origin_jti: before.origin_jti, tenant_id: tenantId, tenant_role: 'owner' });
    expect((await api('/me', { token: refreshed.getAccessToken().getJwtToken() })).status).toBe(200);
  });

  it('refuses a wrong password with the answer AWS gives', async () => {
    const { email } = await invitedOwner('srp-wrong');

    await expect(authenticate(cognitoUser(stack.cognito, email), 'Wrong-Horse-Battery-42')).rejects.toMatchObject(INCORRECT);
  });

  it('answers an unknown user as it answers a wrong password (no user-existence errors)', async () => {
    await expect(authenticate(cognitoUser(stack.cognito, uniqueEmail('nobody')), PASSWORD)).rejects.toMatchObject(INCORRECT);
  });

  it('refuses a disabled user, though the password is right', async () => {
    // Prepare
    const { email } = await invitedOwner('srp-disabled');
    await cognito.send(new AdminDisableUserCommand({ UserPoolId: stack.cognito.userPoolId, Username: email }));

    // Act / Assess
    await expect(authenticate(cognitoUser(stack.cognito, email), PASSWORD)).rejects.toMatchObject({
      code: 'NotAuthorizedException',
      message: 'User is disabled.',
    });
  });

  it('refuses USER_PASSWORD_AUTH, which the app client does not allow, as AWS does', async () => {
    // Prepare
    const { email } = await invitedOwner('plain-password');
    const user = cognitoUser(stack.cognito, email);
    user.setAuthenticationFlowType('USER_PASSWORD_AUTH');
    const refusal = { name: 'InvalidParameterException', message: 'USER_PASSWORD_AUTH flow not enabled for this client' };

    // Act / Assess: through the SDK and through the library
    const sent = cognito.send(
      new InitiateAuthCommand({
        ClientId: stack.cognito.clientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: email, PASSWORD },
      }),
    );
    await expect(sent).rejects.toBeInstanceOf(InvalidParameterException);
    await expect(sent).rejects.toMatchObject(refusal);
    await expect(authenticate(user, PASSWORD)).rejects.toMatchObject({ code: refusal.name, message: refusal.message });
  });
});
