import { AdminAddUserToGroupCommand } from '@aws-sdk/client-cognito-identity-provider';
import { createTenant } from '../../../src/lib/tenants/create-tenant';
import { api } from './api';
import { cognito, signIn, signUpConfirmAndSignIn, type Tokens } from './cognito';
import { operator } from './operator';
import { stack, uniqueEmail } from './stack';

export type Caller = Tokens & { userId: string; email: string };
export type Role = 'viewer' | 'member' | 'admin' | 'owner';

/** Invites through the API as `by`, then takes the invitee through sign-up. */
export const inviteAndSignUp = async (tenantId: string, by: Caller, role: Role, label: string = role): Promise<Caller> => {
  const email = uniqueEmail(label);
  const res = await api(`/tenants/${tenantId}/invites`, { method: 'POST', token: by.accessToken, body: { email, role } });
  if (res.status !== 201) throw new Error(`invite failed: ${res.status} ${res.text}`);
  return { ...(await signUpConfirmAndSignIn(email)), email };
};

/** A new tenant (made as the operator CLI does) and its owner, signed in. */
export const tenantWithOwner = async (name: string): Promise<{ tenantId: string; owner: Caller }> => {
  const email = uniqueEmail('owner');
  const { tenant } = await createTenant(operator, { name, ownerEmail: email });
  return { tenantId: tenant.tenantId, owner: { ...(await signUpConfirmAndSignIn(email)), email } };
};

export const makePlatformAdmin = async (caller: Caller): Promise<Caller> => {
  await cognito.send(
    new AdminAddUserToGroupCommand({ UserPoolId: stack.cognito.userPoolId, Username: caller.email, GroupName: 'platform-admin' }),
  );
  return { ...caller, ...(await signIn(caller.email)) };
};

/**
 * Tenant A with one caller of each role, tenant B with its owner (a signed-in
 * non-member of A), and a platform admin who belongs to a third tenant.
 */
export const buildWorld = async () => {
  const a = await tenantWithOwner('Tenant A');
  const [admin, member, viewer] = [
    await inviteAndSignUp(a.tenantId, a.owner, 'admin'),
    await inviteAndSignUp(a.tenantId, a.owner, 'member'),
    await inviteAndSignUp(a.tenantId, a.owner, 'viewer'),
  ];
  const b = await tenantWithOwner('Tenant B');
  const p = await tenantWithOwner('Operators');
  const platformAdmin = await makePlatformAdmin(p.owner);
  return {
    tenantA: a.tenantId,
    tenantB: b.tenantId,
    callers: { owner: a.owner, admin, member, viewer, nonMember: b.owner, platformAdmin },
  };
};

export type World = Awaited<ReturnType<typeof buildWorld>>;

/** Polls until `check` holds, at most `timeoutMs`; returns how long it took. */
export const waitUntil = async (check: () => Promise<boolean>, timeoutMs: number, intervalMs = 100): Promise<number> => {
  const started = Date.now();
  for (;;) {
    if (await check()) return Date.now() - started;
    if (Date.now() - started > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
};
