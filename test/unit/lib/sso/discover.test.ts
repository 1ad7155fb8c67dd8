import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { domainClaimKey, ssoConfigKey } from '../../../../src/lib/db/keys';
import { TooManyRequestsError } from '../../../../src/lib/errors';
import { authorizeUrl, discoverSso, NO_TENANT } from '../../../../src/lib/sso/discover';
import { ddbMock, withMockedTableAt } from '../../support/dynamodb';

const NOW = new Date('2026-03-01T09:30:15.000Z');
const readKeys = () => ddbMock.commandCalls(GetCommand).map((c) => c.args[0].input.Key);

describe('SSO discovery', () => {
  withMockedTableAt(NOW);

  it('answers sso false for an unknown domain after the same two reads a customer costs', async () => {
    ddbMock.on(UpdateCommand).resolves({});
    ddbMock.on(GetCommand).resolves({});

    expect(await discoverSso('ana@unknown.test', '203.0.113.9', NOW)).toEqual({ sso: false });
    expect(readKeys()).toEqual([domainClaimKey('unknown.test'), ssoConfigKey(NO_TENANT)]);
  });

  it('answers sso false for a verified domain whose tenant has no SSO', async () => {
    ddbMock.on(UpdateCommand).resolves({});
    ddbMock.on(GetCommand, { Key: domainClaimKey('acme.test') }).resolves({ Item: { tenantId: 't1', verifiedAt: NOW.toISOString() } });
    ddbMock.on(GetCommand, { Key: ssoConfigKey('t1') }).resolves({});

    expect(await discoverSso('ana@acme.test', '203.0.113.9', NOW)).toEqual({ sso: false });
    expect(readKeys()).toEqual([domainClaimKey('acme.test'), ssoConfigKey('t1')]);
  });

  it("answers the authorize URL of the tenant's provider when the domain is verified and SSO configured", async () => {
    ddbMock.on(UpdateCommand).resolves({});
    ddbMock.on(GetCommand, { Key: domainClaimKey('acme.test') }).resolves({ Item: { tenantId: 't1', verifiedAt: NOW.toISOString() } });
    ddbMock.on(GetCommand, { Key: ssoConfigKey('t1') }).resolves({ Item: { providerName: 't-abc' } });

    const answer = await discoverSso('ana@acme.test', '203.0.113.9', NOW);

    expect(answer.sso).toBe(true);
    const url = new URL(answer.sso ? answer.authorizeUrl : '');
    expect(`${url.origin}${url.pathname}`).toBe('https://tenantgate-test.auth.eu-west-1.amazoncognito.com/oauth2/authorize');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      identity_provider: 't-abc',
      client_id: expect.any(String),
      response_type: 'code',
      scope: 'openid email profile',
      redirect_uri: 'https://app.tenantgate.test/auth/callback',
    });
  });

  it('answers 429 with the seconds left in the minute once an address is over its limit', async () => {
    ddbMock.on(UpdateCommand).rejects(new ConditionalCheckFailedException({ message: 'over', $metadata: {} }));

    const err = await discoverSso('ana@acme.test', '203.0.113.9', NOW).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(TooManyRequestsError);
    expect((err as TooManyRequestsError).retryAfterSeconds).toBe(45);
    expect(ddbMock.commandCalls(GetCommand)).toHaveLength(0);
  });

  it('writes scope with + and the redirect URI encoded', () => {
    expect(authorizeUrl('t-abc', { hostedLoginUrl: 'https://h.test', appClientId: 'c1', redirectUri: 'https://app.test/cb' })).toBe(
      'https://h.test/oauth2/authorize?identity_provider=t-abc&client_id=c1&response_type=code&scope=openid+email+profile&redirect_uri=https%3A%2F%2Fapp.test%2Fcb',
    );
  });
});
