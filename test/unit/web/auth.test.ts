import { describe, expect, it } from 'vitest';
import { MemoryStorage } from '../../../web/src/auth/memory-storage';
import { expiresWithin, REFRESH_MARGIN_MS } from '../../../web/src/auth/token-freshness';
import { parseConfig } from '../../../web/src/config';

/** The browser app's pure parts: when a token is refreshed before a call, and its run-time config. */
describe('expiresWithin', () => {
  const now = Date.parse('2026-12-01T12:00:00Z');
  const exp = (msFromNow: number) => (now + msFromNow) / 1000;

  it('refreshes a token that expires within the margin, so a call just before expiry gets a fresh one', () => {
    expect(expiresWithin(exp(REFRESH_MARGIN_MS), now)).toBe(true);
    expect(expiresWithin(exp(5_000), now)).toBe(true);
    expect(expiresWithin(exp(-1_000), now)).toBe(true);
  });

  it('keeps a token with more than the margin left', () => {
    expect(expiresWithin(exp(REFRESH_MARGIN_MS + 1_000), now)).toBe(false);
  });

  it('refreshes a token without an expiry', () => {
    expect(expiresWithin(undefined, now)).toBe(true);
  });
});

describe('MemoryStorage', () => {
  it("holds Amplify's items in memory and reads its clock drift, so a device clock that is off does not skew the refresh", async () => {
    const storage = new MemoryStorage();
    await storage.setItem('CognitoIdentityServiceProvider.client.user.accessToken', 'token');
    await storage.setItem('CognitoIdentityServiceProvider.client.user.clockDrift', '-1500');

    expect(await storage.getItem('CognitoIdentityServiceProvider.client.user.accessToken')).toBe('token');
    expect(storage.clockDriftMs()).toBe(-1500);
    await storage.clear();
    expect(await storage.getItem('CognitoIdentityServiceProvider.client.user.accessToken')).toBeNull();
    expect(storage.clockDriftMs()).toBe(0);
  });
});

describe('parseConfig', () => {
  const deployed = { region: 'eu-west-1', apiUrl: 'https://api.example.com/', cognito: { userPoolId: 'eu-west-1_x', clientId: 'c' } };

  it('reads a deployed stage without a Cognito endpoint, and drops a trailing slash of the API', () => {
    expect(parseConfig(deployed)).toEqual({ ...deployed, apiUrl: 'https://api.example.com' });
  });

  it("keeps the local stack's Cognito endpoint", () => {
    const local = { ...deployed, cognito: { ...deployed.cognito, endpoint: 'http://127.0.0.1:9229' } };
    expect(parseConfig(local).cognito.endpoint).toBe('http://127.0.0.1:9229');
  });

  it('refuses a config without the pool', () => {
    expect(() => parseConfig({ ...deployed, cognito: {} })).toThrow(/cognito.userPoolId/);
  });
});
