import { describe, expect, it } from 'vitest';
import { corsHeaders, SECURITY_HEADERS } from '../../../../src/lib/http/security-headers';

describe('SECURITY_HEADERS', () => {
  it('forbids caching, framing, sniffing and referrers, and pins HTTPS', () => {
    expect(SECURITY_HEADERS).toMatchObject({
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
      'strict-transport-security': expect.stringMatching(/^max-age=\d{8,}/),
      'content-security-policy': expect.stringContaining("frame-ancestors 'none'"),
    });
  });
});

describe('corsHeaders', () => {
  it('echoes an origin of the allow-list', () => {
    expect(corsHeaders('https://a.test', ['https://a.test'])).toMatchObject({ 'access-control-allow-origin': 'https://a.test' });
  });

  it('lets a browser script read the token refusal and the correlation id', () => {
    expect(corsHeaders('https://a.test', ['https://a.test'])['access-control-expose-headers']).toBe('www-authenticate, x-correlation-id');
  });

  it("echoes any origin under '*' without allowing credentials", () => {
    expect(corsHeaders('https://b.test', ['*'])).toMatchObject({
      'access-control-allow-origin': 'https://b.test',
      'access-control-allow-credentials': 'false',
    });
  });

  it.each([
    [undefined, ['https://a.test']],
    ['https://b.test', ['https://a.test']],
    ['https://a.test', []],
  ] as const)('grants nothing to the origin %j with the allow-list %j', (origin, allowed) => {
    expect(corsHeaders(origin, allowed)).toEqual({ vary: 'origin' });
  });
});
