import { AdminCreateUserCommand, AdminGetUserCommand, UserNotFoundException } from '@aws-sdk/client-cognito-identity-provider';
import { describe, expect, it } from 'vitest';
import { operatorInTenant } from '../../../src/lib/auth/caller';
import { revokeInvite } from '../../../src/lib/invites/revoke-invite';
import { createTenant } from '../../../src/lib/tenants/create-tenant';
import { api } from '../support/api';
import { cognito, decodeJwt, refresh, signUp, signUpConfirmAndSignIn } from '../support/cognito';
import { membersOf, pendingInvitesFor, userItems } from '../support/data';
import { latestInviteCodeTo, mailsTo } from '../support/mail';
import { operator } from '../support/operator';
import { stack, uniqueEmail } from '../support/stack';

const NOT_INVITED = /invitation/i;

const expectNoAccount = async (email: string) => {
  await expect(cognito.send(new AdminGetUserCommand({ UserPoolId: stack.cognito.userPoolId, Username: email }))).rejects.toBeInstanceOf(
    UserNotFoundException,
  );
  // No verification code was sent: Cognito created nothing to verify (an invite email may be there).
  expect(mailsTo(email).filter((m) => !m.text.includes('invite_code='))).toHaveLength(0);
};

describe('invite-only sign-up', () => {
  it('lets an invited email sign up, confirm with the mailed code and sign in with tenant claims', async () => {
    // Prepare
    const email = uniqueEmail('owner');
    const { tenant } = await createTenant(operator, { name: 'Acme', ownerEmail: email });

    // Act
    const tokens = await signUpConfirmAndSignIn(email);

    // Assess
    const access = decodeJwt(tokens.accessToken);
    expect(access).toMatchObject({
      token_use: 'access',
      client_id: stack.cognito.clientId,
      tenant_id: tenant.tenantId,
      tenant_role: 'owner',
    });
    expect(access.origin_jti).toEqual(expect.any(String));
    expect(decodeJwt(tokens.idToken)).toMatchObject({ token_use: 'id', tenant_id: tenant.tenantId, tenant_role: 'owner' });

    const me = await api('/me', { token: tokens.accessToken });
    expect(me.status).toBe(200);
    expect(me.body).toEqual({
      userId: access.sub,
      email,
      tenantId: tenant.tenantId,
      role: 'owner',
      memberships: [{ tenantId: tenant.tenantId, tenantName: 'Acme', role: 'owner' }],
    });
    expect(await pendingInvitesFor(email)).toHaveLength(0);
  });

  it('keeps the tenant claims and the session id when the tokens are refreshed', async () => {
    // Prepare
    const email = uniqueEmail('refresh');
    const { tenant } = await createTenant(operator, { name: 'Refreshers', ownerEmail: email });
    const tokens = await signUpConfirmAndSignIn(email);

    // Act
    const refreshed = await refresh(tokens.refreshToken);

    // Assess
    const before = decodeJwt(tokens.accessToken);
    const after = decodeJwt(refreshed.accessToken);
    expect(after).toMatchObject({ token_use: 'access', tenant_id: tenant.tenantId, tenant_role: 'owner', origin_jti: before.origin_jti });
    expect(after.jti).not.toEqual(before.jti);
    expect(decodeJwt(refreshed.idToken)).toMatchObject({ tenant_id: tenant.tenantId, tenant_role: 'owner' });
    expect((await api('/me', { token: refreshed.accessToken })).body).toMatchObject({ tenantId: tenant.tenantId, role: 'owner' });
  });

  it('refuses a sign-up without an invite, with a clear message, and creates nothing', async () => {
    const email = uniqueEmail('stranger');

    await expect(signUp(email, { inviteCode: null })).rejects.toThrow(NOT_INVITED);

    await expectNoAccount(email);
  });

  it('refuses a sign-up with a revoked invite', async () => {
    // Prepare
    const email = uniqueEmail('revoked');
    const { tenant, invite } = await createTenant(operator, { name: 'Revokers', ownerEmail: email });
    await revokeInvite(operatorInTenant('operator:test', tenant.tenantId), invite.inviteId);

    // Act + Assess
    await expect(signUp(email)).rejects.toThrow(NOT_INVITED);
    await expectNoAccount(email);
    expect(await membersOf(tenant.tenantId)).toHaveLength(0);
  });

  it('refuses a sign-up with an expired invite', async () => {
    // Prepare: an invite created eight days ago (invites live seven)
    const email = uniqueEmail('expired');
    const { tenant } = await createTenant(operator, { name: 'Latecomers', ownerEmail: email }, new Date(Date.now() - 8 * 86_400_000));

    // Act + Assess
    await expect(signUp(email)).rejects.toThrow(NOT_INVITED);
    await expectNoAccount(email);
    expect(await membersOf(tenant.tenantId)).toHaveLength(0);
  });

  it('refuses a sign-up for another email than the invited one', async () => {
    // Prepare
    const invited = uniqueEmail('invited');
    const other = uniqueEmail('other');
    const { tenant } = await createTenant(operator, { name: 'Elsewhere', ownerEmail: invited });

    // Act + Assess
    await expect(signUp(other, { inviteCode: await latestInviteCodeTo(invited) })).rejects.toThrow(NOT_INVITED);
    await expectNoAccount(other);
    expect(await membersOf(tenant.tenantId)).toHaveLength(0);
    expect(await pendingInvitesFor(invited)).toHaveLength(1);
  });

  it('refuses a sign-up of an invited email that brings no invite code, or a wrong one (no pre-account hijack)', async () => {
    // Prepare: the attacker knows the invited address, not the code mailed to it
    const email = uniqueEmail('hijack');
    const { tenant, code } = await createTenant(operator, { name: 'Targets', ownerEmail: email });
    const forged = `${code.slice(0, -2)}${code.endsWith('AA') ? 'BB' : 'AA'}`;

    // Act + Assess
    await expect(signUp(email, { inviteCode: null })).rejects.toThrow(NOT_INVITED);
    await expect(signUp(email, { inviteCode: forged })).rejects.toThrow(NOT_INVITED);
    await expect(signUp(email, { inviteCode: '' })).rejects.toThrow(NOT_INVITED);
    await expectNoAccount(email);
    expect(await membersOf(tenant.tenantId)).toHaveLength(0);
    expect(await pendingInvitesFor(email)).toHaveLength(1);
  });

  it('mails a sign-up link carrying the invite id and its code, and the code signs the invitee up', async () => {
    // Prepare
    const email = uniqueEmail('linked');
    const { tenant, invite, code } = await createTenant(operator, { name: 'Linked', ownerEmail: email });

    // Act
    const link = new URL(/https?:\/\/\S*invite_code=\S+/.exec(mailsTo(email).at(-1)?.text ?? '')?.[0] ?? 'http://none');
    const tokens = await signUpConfirmAndSignIn(email);

    // Assess
    expect(link.searchParams.get('invite')).toBe(invite.inviteId);
    expect(link.searchParams.get('invite_code')).toBe(code);
    expect(code).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(decodeJwt(tokens.accessToken)).toMatchObject({ tenant_id: tenant.tenantId });
    // Stored only as a hash, and gone once the invite is accepted.
    expect(JSON.stringify(await pendingInvitesFor(email))).not.toContain(code);
  });

  it('refuses an administrator-created user without an invite (every sign-up source is invite-only)', async () => {
    const email = uniqueEmail('admin-created');

    await expect(
      cognito.send(
        new AdminCreateUserCommand({
          UserPoolId: stack.cognito.userPoolId,
          Username: email,
          UserAttributes: [{ Name: 'email', Value: email }],
          MessageAction: 'SUPPRESS',
        }),
      ),
    ).rejects.toThrow(NOT_INVITED);
    await expectNoAccount(email);
  });

  it('matches the invite whatever the case of the email typed at sign-up', async () => {
    // Prepare
    const email = uniqueEmail('mixedcase');
    const { tenant } = await createTenant(operator, { name: 'Cases', ownerEmail: email });

    // Act
    const tokens = await signUpConfirmAndSignIn(email.toUpperCase());

    // Assess
    expect(decodeJwt(tokens.accessToken)).toMatchObject({ tenant_id: tenant.tenantId });
    expect(await userItems(tokens.userId)).toEqual(
      expect.arrayContaining([expect.objectContaining({ entity: 'user', email, activeTenantId: tenant.tenantId })]),
    );
  });
});
