import { describe, expect, it } from 'vitest';
import { authorizeRequest, randomToken, s256Challenge } from '../../../web/src/auth/pkce';

/** The company sign-in's PKCE pieces (web/src/auth/pkce.ts), without a browser. */
describe('PKCE', () => {
  it('computes the S256 challenge as BASE64URL(SHA-256(verifier)), without padding', async () => {
    // Expected value computed apart from Web Crypto, with Python's hashlib and base64.urlsafe_b64encode.
    expect(await s256Challenge('dBjftJeZ4CVP-mJ92IZ1ABCa5sM6yx3BLLHmqJVYXc0')).toBe('ZdXRL-BfBe5EcGuSrX0dwQz-qvzvKEdmnWef-vorfow');
  });

  it('makes 43-character base64url verifiers, different every time', () => {
    const a = randomToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(randomToken()).not.toBe(a);
  });
});

describe("the discovery's authorize URL", () => {
  const expected = { clientId: 'client-1', redirectUri: 'https://app.example.com/auth/callback' };
  const pkce = { challenge: 'challenge-1', state: 'state-1' };
  const discovered = (base: string, params: Record<string, string> = {}) => {
    const url = new URL(`${base}/oauth2/authorize`);
    const all = {
      identity_provider: 't-abc',
      client_id: 'client-1',
      response_type: 'code',
      scope: 'openid email profile',
      redirect_uri: expected.redirectUri,
      ...params,
    };
    for (const [k, v] of Object.entries(all)) url.searchParams.set(k, v);
    return url.toString();
  };

  it("gets the challenge, its method and the state added, and the hosted login's token URL beside it", () => {
    const out = authorizeRequest(discovered('https://acme.auth.eu-west-1.amazoncognito.com'), expected, pkce);
    const url = new URL(out.url);
    expect(url.searchParams.get('code_challenge')).toBe('challenge-1');
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('state')).toBe('state-1');
    expect(url.searchParams.get('identity_provider')).toBe('t-abc');
    expect(out.tokenUrl).toBe('https://acme.auth.eu-west-1.amazoncognito.com/oauth2/token');
  });

  it('takes plain http only on loopback (the local emulator)', () => {
    expect(() => authorizeRequest(discovered('http://127.0.0.1:9229'), expected, pkce)).not.toThrow();
    expect(() => authorizeRequest(discovered('http://login.example.com'), expected, pkce)).toThrow(/hosted login/);
  });

  it.each([
    ['another path', 'https://acme.auth.example.com/phish', {}],
    ['another app client', undefined, { client_id: 'someone-else' }],
    ['another callback', undefined, { redirect_uri: 'https://evil.example.com/auth/callback' }],
    ['an implicit grant', undefined, { response_type: 'token' }],
  ])('is refused rather than followed when it names %s', (_case, base, params) => {
    const url = base ? `${base}?client_id=client-1` : discovered('https://acme.auth.example.com', params);
    expect(() => authorizeRequest(url, expected, pkce)).toThrow();
  });

  it('is refused with user info in it or when it is no URL', () => {
    expect(() => authorizeRequest(discovered('https://user:pw@acme.auth.example.com'), expected, pkce)).toThrow();
    expect(() => authorizeRequest('not a url', expected, pkce)).toThrow(/not valid/);
  });
});
