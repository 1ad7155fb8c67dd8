import { CreateUserPoolClientCommand } from '@aws-sdk/client-cognito-identity-provider';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTenant } from '../../../src/lib/tenants/create-tenant';
import { type ApiResponse, api } from '../support/api';
import { cognito, decodeJwt, signIn, signInToAnotherPool, signUpConfirmAndSignIn } from '../support/cognito';
import { hs256WithPublicKey, signAsEmulator, tamper, unsignedToken } from '../support/forge';
import { operator } from '../support/operator';
import { stack, uniqueEmail } from '../support/stack';

const expectRefused = (res: ApiResponse) => {
  expect(res.status).toBe(401);
  expect(res.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(res.body).toEqual({
    type: expect.any(String),
    title: 'Unauthorized',
    status: 401,
    detail: 'A valid access token is required.',
  });
};

describe('the access-token check on GET /me', () => {
  let email: string;
  let tokens: Awaited<ReturnType<typeof signUpConfirmAndSignIn>>;
  let claims: Record<string, unknown>;

  beforeAll(async () => {
    email = uniqueEmail('checked');
    await createTenant(operator, { name: 'Checked', ownerEmail: email });
    tokens = await signUpConfirmAndSignIn(email);
    claims = decodeJwt(tokens.accessToken);
  });

  it('accepts the valid access token (the control case)', async () => {
    const res = await api('/me', { token: tokens.accessToken });
    expect(res.status).toBe(200);
  });

  it('refuses a request with no token', async () => {
    expectRefused(await api('/me'));
  });

  it('refuses a malformed Authorization header', async () => {
    expectRefused(await api('/me', { headers: { authorization: `Basic ${tokens.accessToken}` } }));
  });

  it('refuses an ID token', async () => {
    expectRefused(await api('/me', { token: tokens.idToken }));
  });

  it('refuses a token from another user pool', async () => {
    const otherEmail = uniqueEmail('other-pool');
    await createTenant(operator, { name: 'Other pool', ownerEmail: otherEmail });
    const other = await signInToAnotherPool(otherEmail);
    expect(decodeJwt(other.accessToken).iss).not.toEqual(claims.iss);

    expectRefused(await api('/me', { token: other.accessToken }));
  });

  it('refuses a token from another app client of the same pool', async () => {
    const client = await cognito.send(
      new CreateUserPoolClientCommand({
        UserPoolId: stack.cognito.userPoolId,
        ClientName: 'not-allowed',
        ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      }),
    );
    const other = await signIn(email, client.UserPoolClient?.ClientId ?? '');
    expect(decodeJwt(other.accessToken)).toMatchObject({ iss: claims.iss, token_use: 'access' });

    expectRefused(await api('/me', { token: other.accessToken }));
  });

  it('refuses an expired token signed by the pool', async () => {
    const now = Math.floor(Date.now() / 1000);
    const expired = signAsEmulator({ ...claims, iat: now - 3600, auth_time: now - 3600, exp: now - 60 });

    expectRefused(await api('/me', { token: expired }));
  });

  it('refuses a signed token that lacks the session id (origin_jti)', async () => {
    const { origin_jti: _dropped, ...rest } = claims;

    expectRefused(await api('/me', { token: signAsEmulator(rest) }));
  });

  it('refuses a tampered token', async () => {
    const forged = tamper(tokens.accessToken, (p) => ({ ...p, tenant_id: 'someone-elses-tenant' }));

    expectRefused(await api('/me', { token: forged }));
  });

  it('refuses an unsigned token (alg none)', async () => {
    expectRefused(await api('/me', { token: unsignedToken(claims) }));
  });

  it('refuses an HS256 token keyed with the public key', async () => {
    expectRefused(await api('/me', { token: hs256WithPublicKey(claims) }));
  });

  it('ignores serverless-offline authorizer override headers', async () => {
    const res = await api('/me', {
      headers: {
        'sls-offline-authorizer-override': JSON.stringify({ jwt: { claims: { sub: 'x', tenant_id: 'y', tenant_role: 'owner' } } }),
      },
    });
    expectRefused(res);
  });
});
