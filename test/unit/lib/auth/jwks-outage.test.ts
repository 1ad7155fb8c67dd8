import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Principal } from '../../../../src/lib/auth/access-token';
import type { AuthConfig } from '../../../../src/lib/auth/auth-config';
import type { AuthContext } from '../../../../src/lib/auth/auth-context';
import { createAccessTokenVerifier } from '../../../../src/lib/auth/verifier';
import { UnauthorizedError } from '../../../../src/lib/errors';
import { json } from '../../../../src/lib/http/response';
import { buildRoute } from '../../../../src/lib/http/route';
import { httpEvent, lambdaContext } from '../../support/api-gateway';
import { TEST_CLIENT_IDS, TEST_REGION, TEST_USER_POOL_ID } from '../../support/test-env';
import { accessTokenClaims, cognitoIssuer, generateSigningKey, jwksUriOf, publicJwks, signToken } from '../../support/tokens';

/**
 * The pool's JWKS unreachable, failing or silent at cold start, and tokens
 * whose kid it does not hold. Neither is observable from outside the running
 * stack (test/security/token-attacks.test.ts sends the same attacks over HTTP),
 * so they are tested here, through the real verifier and the real Middy chain:
 * the token check fails closed with the one 401, never a 500 or an accept,
 * within the loopback fetcher's 3 s, and an unknown kid costs at most one JWKS
 * refetch per aws-jwt-verify penalty period (SimplePenaltyBox, 10 s).
 */

const CLIENT_ID = TEST_CLIENT_IDS[0] ?? '';
const poolKey = generateSigningKey('pool-key-1');
const baseConfig = { userPoolId: TEST_USER_POOL_ID, clientIds: [...TEST_CLIENT_IDS], region: TEST_REGION, cacheMillis: 4000 };

type JwksServer = { issuer: string; requests: () => number; close: () => Promise<void> };

/** The emulator's place on loopback, answering JWKS requests with `answer` (which may never answer). */
const startJwksServer = async (answer: (res: http.ServerResponse, nth: number) => void): Promise<JwksServer> => {
  let requests = 0;
  const server = http.createServer((_req, res) => {
    requests += 1;
    answer(res, requests);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    issuer: `http://127.0.0.1:${port}/${TEST_USER_POOL_ID}`,
    requests: () => requests,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
};

const serveJwks = (res: http.ServerResponse) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(publicJwks([poolKey])));
};

const localConfig = (issuer: string): AuthConfig => ({ ...baseConfig, localIssuer: issuer });
const tokenFrom = (issuer: string, header: Record<string, unknown> = {}) =>
  signToken(accessTokenClaims({ issuer, clientId: CLIENT_ID }), poolKey, header);

/** `GET /me`'s chain with the real verifier; the auth context is never reached when the token is refused. */
const signedInRoute = (verify: (token: string) => Promise<Principal>) => {
  const resolve = vi.fn(async (p: Principal): Promise<AuthContext> => ({ ...p, isPlatformAdmin: false, tenant: undefined }));
  const core = vi.fn(async () => json(200, { done: true }));
  return { handler: buildRoute({ kind: 'signedIn' }, {}, { verify, resolve }, core), core };
};

const callWith = async (handler: ReturnType<typeof signedInRoute>['handler'], token: string) =>
  handler(httpEvent({ path: '/me', headers: { authorization: `Bearer ${token}` } }), lambdaContext());

const expectInvalidToken = (result: Awaited<ReturnType<typeof callWith>>) => {
  expect(result.statusCode).toBe(401);
  expect(result.headers).toMatchObject({ 'content-type': 'application/problem+json', 'www-authenticate': 'Bearer error="invalid_token"' });
  expect(JSON.parse(result.body ?? 'null')).toEqual({
    type: expect.any(String),
    title: 'Unauthorized',
    status: 401,
    detail: 'A valid access token is required.',
  });
};

describe('the token check when the JWKS is unreachable, failing or slow at cold start', () => {
  let server: JwksServer | undefined;

  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('answers 401 problem+json, not 500, when nothing listens at the JWKS address', async () => {
    // Prepare: a loopback port that was free a moment ago and is closed now
    server = await startJwksServer(serveJwks);
    const { issuer } = server;
    await server.close();
    server = undefined;
    const { handler, core } = signedInRoute(createAccessTokenVerifier(localConfig(issuer)).verify);

    // Act
    const result = await callWith(handler, tokenFrom(issuer));

    // Assess
    expectInvalidToken(result);
    expect(core).not.toHaveBeenCalled();
  });

  it.each([
    ['a 500', (res: http.ServerResponse) => res.writeHead(500).end('oops')],
    ['a 503', (res: http.ServerResponse) => res.writeHead(503).end()],
    ['a body that is not JSON', (res: http.ServerResponse) => res.writeHead(200).end('<html>maintenance</html>')],
    ['a JWKS without keys', (res: http.ServerResponse) => res.writeHead(200).end('{"keys":[]}')],
    ['a JWKS whose key is no key', (res: http.ServerResponse) => res.writeHead(200).end('{"keys":[{"kid":"pool-key-1"}]}')],
  ])('answers 401 problem+json, not 500, when the JWKS endpoint answers %s', async (_name, answer) => {
    // Prepare
    server = await startJwksServer(answer);
    const { handler, core } = signedInRoute(createAccessTokenVerifier(localConfig(server.issuer)).verify);

    // Act
    const result = await callWith(handler, tokenFrom(server.issuer));

    // Assess
    expectInvalidToken(result);
    expect(core).not.toHaveBeenCalled();
  });

  it('gives up on a JWKS endpoint that never answers within the fetcher timeout, with one fetch shared by concurrent requests', async () => {
    // Prepare: a server that takes the request and never answers
    server = await startJwksServer(() => undefined);
    const { handler, core } = signedInRoute(createAccessTokenVerifier(localConfig(server.issuer)).verify);
    const started = Date.now();

    // Act: ten requests arrive at the cold container at once
    const results = await Promise.all(Array.from({ length: 10 }, () => callWith(handler, tokenFrom(server?.issuer ?? ''))));

    // Assess: the loopback fetcher aborts after 3 s, far inside API Gateway's 30 s and the function timeout
    const elapsed = Date.now() - started;
    for (const result of results) expectInvalidToken(result);
    expect(core).not.toHaveBeenCalled();
    expect(server.requests()).toBe(1);
    expect(elapsed).toBeGreaterThanOrEqual(2900);
    expect(elapsed).toBeLessThan(6000);
  }, 15_000);

  it('recovers once the JWKS answers again: a failed fetch is not remembered', async () => {
    // Prepare: the first fetch fails, later ones serve the JWKS
    server = await startJwksServer((res, nth) => (nth === 1 ? res.writeHead(503).end() : serveJwks(res)));
    const { handler, core } = signedInRoute(createAccessTokenVerifier(localConfig(server.issuer)).verify);

    // Act
    const during = await callWith(handler, tokenFrom(server.issuer));
    const after = await callWith(handler, tokenFrom(server.issuer));

    // Assess
    expectInvalidToken(during);
    expect(after.statusCode).toBe(200);
    expect(core).toHaveBeenCalledTimes(1);
    expect(server.requests()).toBe(2);
  });
});

describe.each([
  { name: 'AWS pool issuer', issuer: cognitoIssuer(TEST_USER_POOL_ID), local: false },
  { name: 'local emulator issuer', issuer: `http://127.0.0.1:9229/${TEST_USER_POOL_ID}`, local: true },
])('unknown kids with the $name', ({ issuer, local }) => {
  const config: AuthConfig = { ...baseConfig, localIssuer: local ? issuer : undefined };
  let fetches: string[];
  let verify: (token: string) => Promise<Principal>;

  beforeEach(() => {
    // The penalty box's timer and the token clock are faked; the JWKS is served from memory and each fetch counted.
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'] });
    vi.setSystemTime(Date.parse('2026-06-01T09:00:00.000Z'));
    fetches = [];
    const body = new TextEncoder().encode(JSON.stringify(publicJwks([poolKey])));
    const jwksCache = new SimpleJwksCache({
      fetcher: {
        fetch: async (uri) => {
          fetches.push(uri);
          return body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer;
        },
      },
    });
    verify = createAccessTokenVerifier(config, { jwksCache, now: () => Date.now() }).verify;
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('refetch the JWKS at most once per 10 s, however many arrive, and genuine tokens still verify meanwhile', async () => {
    // Prepare: the cold start's one fetch
    await verify(tokenFrom(issuer));
    expect(fetches).toEqual([jwksUriOf(issuer)]);

    // Act: 25 unknown kids at once, then 25 one after another
    const burst = await Promise.allSettled(Array.from({ length: 25 }, (_, i) => verify(tokenFrom(issuer, { kid: `unknown-${i}` }))));
    for (let i = 0; i < 25; i++) await expect(verify(tokenFrom(issuer, { kid: `later-${i}` }))).rejects.toBeInstanceOf(UnauthorizedError);
    const genuine = await verify(tokenFrom(issuer));

    // Assess: one refetch for all fifty, and the pool's own kid needs none
    for (const outcome of burst) expect(outcome).toMatchObject({ status: 'rejected', reason: expect.any(UnauthorizedError) });
    expect(genuine.clientId).toBe(CLIENT_ID);
    expect(fetches).toHaveLength(2);
  });

  it('allow the next refetch only once the 10-s penalty has passed', async () => {
    // Prepare
    await verify(tokenFrom(issuer));
    await expect(verify(tokenFrom(issuer, { kid: 'unknown-1' }))).rejects.toBeInstanceOf(UnauthorizedError);

    // Act
    vi.advanceTimersByTime(9_900);
    await expect(verify(tokenFrom(issuer, { kid: 'unknown-2' }))).rejects.toBeInstanceOf(UnauthorizedError);
    const beforePenaltyEnds = fetches.length;
    vi.advanceTimersByTime(200);
    await expect(verify(tokenFrom(issuer, { kid: 'unknown-3' }))).rejects.toBeInstanceOf(UnauthorizedError);

    // Assess
    expect(beforePenaltyEnds).toBe(2);
    expect(fetches).toHaveLength(3);
  });
});
