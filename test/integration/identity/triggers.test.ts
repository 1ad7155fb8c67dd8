import { describe, expect, it } from 'vitest';
import { createTenant } from '../../../src/lib/tenants/create-tenant';
import { decodeJwt, refresh, signUpConfirmAndSignIn } from '../support/cognito';
import { auditEventsOf, membersOf, userItems } from '../support/data';
import { invokeFunction } from '../support/lambda';
import { operator } from '../support/operator';
import { stack, uniqueEmail } from '../support/stack';

const postConfirmationEvent = (sub: string, email: string) => ({
  version: '1',
  region: stack.region,
  userPoolId: stack.cognito.userPoolId,
  userName: sub,
  callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: stack.cognito.clientId },
  triggerSource: 'PostConfirmation_ConfirmSignUp',
  request: { userAttributes: { sub, email, email_verified: 'true', 'cognito:user_status': 'CONFIRMED' } },
  response: {},
});

const postAuthenticationEvent = (sub: string, email: string, clientMetadata?: Record<string, string>) => ({
  version: '1',
  region: stack.region,
  userPoolId: stack.cognito.userPoolId,
  userName: sub,
  callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: stack.cognito.clientId },
  triggerSource: 'PostAuthentication_Authentication',
  request: {
    userAttributes: { sub, email, email_verified: 'true', 'cognito:user_status': 'CONFIRMED' },
    newDeviceUsed: false,
    ...(clientMetadata ? { clientMetadata } : {}),
  },
  response: {},
});

const preTokenGenerationEvent = (sub: string, triggerSource: string, version = '2') => ({
  version,
  region: stack.region,
  userPoolId: stack.cognito.userPoolId,
  userName: sub,
  callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: stack.cognito.clientId },
  triggerSource,
  request: {
    userAttributes: { sub, email_verified: 'true' },
    groupConfiguration: { groupsToOverride: [], iamRolesToOverride: [], preferredRole: null },
    scopes: ['aws.cognito.signin.user.admin'],
  },
  response: { claimsAndScopeOverrideDetails: null },
});

const countOf = (events: Record<string, unknown>[], type: string, actorId: string) =>
  events.filter((e) => e.type === type && e.actorId === actorId).length;

describe('PostConfirmation', () => {
  it('creates exactly one membership when Cognito delivers the event again', async () => {
    // Prepare: a real sign-up, whose confirmation already delivered the event once
    const email = uniqueEmail('retried');
    const { tenant } = await createTenant(operator, { name: 'Retried', ownerEmail: email });
    const { userId } = await signUpConfirmAndSignIn(email);

    // Act
    const again = await invokeFunction('postConfirmation', postConfirmationEvent(userId, email));

    // Assess
    expect(again.ok).toBe(true);
    expect(await membersOf(tenant.tenantId)).toHaveLength(1);
    const events = await auditEventsOf(tenant.tenantId);
    expect(countOf(events, 'auth.signup', userId)).toBe(1);
    expect(countOf(events, 'invite.accepted', userId)).toBe(1);
  });

  it('creates exactly one membership when deliveries race', async () => {
    // Prepare: an invited person whose confirmation is delivered three times at once
    const email = uniqueEmail('racing');
    const { tenant } = await createTenant(operator, { name: 'Racing', ownerEmail: email });
    const sub = crypto.randomUUID();

    // Act
    const results = await Promise.all([1, 2, 3].map(() => invokeFunction('postConfirmation', postConfirmationEvent(sub, email))));

    // Assess
    expect(results.every((r) => r.ok)).toBe(true);
    expect(await membersOf(tenant.tenantId)).toHaveLength(1);
    expect((await userItems(sub)).filter((i) => i.entity === 'userMembership')).toHaveLength(1);
    expect(countOf(await auditEventsOf(tenant.tenantId), 'auth.signup', sub)).toBe(1);
  });
});

describe('PostAuthentication', () => {
  /** A member of a new tenant, made by delivering PostConfirmation directly: no sign-in has run for them yet. */
  const memberOfNewTenant = async (label: string) => {
    const email = uniqueEmail(label);
    const { tenant } = await createTenant(operator, { name: `Tenant of ${label}`, ownerEmail: email });
    const sub = crypto.randomUUID();
    const confirmed = await invokeFunction('postConfirmation', postConfirmationEvent(sub, email));
    if (!confirmed.ok) throw new Error(`PostConfirmation failed: ${JSON.stringify(confirmed.payload)}`);
    return { tenantId: tenant.tenantId, sub, email };
  };

  it('writes one auth.login for a sign-in, and none for the refresh after it', async () => {
    // Prepare
    const email = uniqueEmail('logins');
    const { tenant } = await createTenant(operator, { name: 'Logins', ownerEmail: email });

    // Act
    const { userId, refreshToken } = await signUpConfirmAndSignIn(email);
    await refresh(refreshToken);

    // Assess
    expect(countOf(await auditEventsOf(tenant.tenantId), 'auth.login', userId)).toBe(1);
  });

  it('writes one auth.login when Cognito delivers the same sign-in twice', async () => {
    // Prepare
    const { tenantId, sub, email } = await memberOfNewTenant('redelivered');
    const event = postAuthenticationEvent(sub, email);

    // Act: the first delivery, then Cognito's retry of it
    const first = await invokeFunction('postAuthentication', event);
    const retry = await invokeFunction('postAuthentication', event);

    // Assess
    expect([first.ok, retry.ok]).toEqual([true, true]);
    expect(retry.payload).toEqual(event);
    expect(countOf(await auditEventsOf(tenantId), 'auth.login', sub)).toBe(1);
  });

  it('writes one auth.login when deliveries of one sign-in race', async () => {
    // Prepare
    const { tenantId, sub, email } = await memberOfNewTenant('raced-logins');
    const event = postAuthenticationEvent(sub, email);

    // Act
    const results = await Promise.all([1, 2, 3].map(() => invokeFunction('postAuthentication', event)));

    // Assess
    expect(results.every((r) => r.ok)).toBe(true);
    expect(countOf(await auditEventsOf(tenantId), 'auth.login', sub)).toBe(1);
  });

  it('audits sign-ins that the client tells apart by their client metadata', async () => {
    // Prepare
    const { tenantId, sub, email } = await memberOfNewTenant('distinct-logins');

    // Act
    const results = [
      await invokeFunction('postAuthentication', postAuthenticationEvent(sub, email, { signInId: 'first' })),
      await invokeFunction('postAuthentication', postAuthenticationEvent(sub, email, { signInId: 'second' })),
    ];

    // Assess
    expect(results.every((r) => r.ok)).toBe(true);
    expect(countOf(await auditEventsOf(tenantId), 'auth.login', sub)).toBe(2);
  });
});

describe('PreTokenGeneration (V2_0)', () => {
  const sources = [
    'TokenGeneration_Authentication',
    'TokenGeneration_RefreshTokens',
    'TokenGeneration_NewPasswordChallenge',
    'TokenGeneration_HostedAuth',
    'TokenGeneration_AuthenticateDevice',
  ];

  it.each(sources)('adds the tenant claims to both tokens for %s', async (source) => {
    // Prepare
    const email = uniqueEmail('claims');
    const { tenant } = await createTenant(operator, { name: 'Claims', ownerEmail: email });
    const { userId } = await signUpConfirmAndSignIn(email);

    // Act
    const { ok, payload } = await invokeFunction('preTokenGeneration', preTokenGenerationEvent(userId, source));

    // Assess
    expect(ok).toBe(true);
    const claims = { tenant_id: tenant.tenantId, tenant_role: 'owner' };
    expect(payload).toMatchObject({
      response: {
        claimsAndScopeOverrideDetails: {
          accessTokenGeneration: { claimsToAddOrOverride: claims },
          idTokenGeneration: { claimsToAddOrOverride: claims },
        },
      },
    });
  });

  it('gives a user with no membership no tenant claims', async () => {
    const { ok, payload } = await invokeFunction('preTokenGeneration', preTokenGenerationEvent(crypto.randomUUID(), sources[0] ?? ''));

    expect(ok).toBe(true);
    const details = (payload as { response: { claimsAndScopeOverrideDetails: Record<string, Record<string, unknown>> } }).response
      .claimsAndScopeOverrideDetails;
    expect(details.accessTokenGeneration?.claimsToAddOrOverride).toBeUndefined();
    expect(details.accessTokenGeneration?.claimsToSuppress).toEqual(['tenant_id', 'tenant_role']);
    expect(details.idTokenGeneration?.claimsToSuppress).toEqual(['tenant_id', 'tenant_role']);
  });

  it('fails on a V1 event rather than issue tokens without access-token claims', async () => {
    const { ok } = await invokeFunction('preTokenGeneration', preTokenGenerationEvent(crypto.randomUUID(), sources[0] ?? '', '1'));

    expect(ok).toBe(false);
  });

  it('is what the emulator calls at sign-in: the access token carries the claims', async () => {
    const email = uniqueEmail('wired');
    const { tenant } = await createTenant(operator, { name: 'Wired', ownerEmail: email });

    const { accessToken } = await signUpConfirmAndSignIn(email);

    expect(decodeJwt(accessToken)).toMatchObject({ tenant_id: tenant.tenantId, tenant_role: 'owner' });
  });
});
