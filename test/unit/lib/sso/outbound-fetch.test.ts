import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { fetchBounded, OutboundFetchError } from '../../../../src/lib/sso/outbound-fetch';

/** A loopback server whose routes misbehave in the ways a hostile or broken IdP would. */
let server: http.Server;
let base: string;
const sockets = new Set<import('node:net').Socket>();

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/ok') return res.end('{"ok":true}');
    if (url.pathname === '/big-chunked') {
      res.write('x'.repeat(200 * 1024));
      res.write('x'.repeat(100 * 1024));
      return res.end();
    }
    if (url.pathname === '/big-declared') {
      res.setHeader('content-length', String(300 * 1024));
      return res.end('x'.repeat(300 * 1024));
    }
    if (url.pathname === '/trickle') {
      res.writeHead(200);
      const timer = setInterval(() => res.write('x'), 50);
      res.on('close', () => clearInterval(timer));
      return;
    }
    if (url.pathname === '/redirect') {
      const left = Number(url.searchParams.get('n'));
      res.writeHead(302, { location: left > 0 ? `/redirect?n=${left - 1}` : '/ok' });
      return res.end();
    }
    if (url.pathname === '/to-private') {
      res.writeHead(302, { location: 'http://10.0.0.1/metadata' });
      return res.end();
    }
    res.writeHead(404).end();
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((resolve) => server.close(resolve));
});

const local = { local: true };
const reasonOf = async (promise: Promise<unknown>): Promise<string> => {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(OutboundFetchError);
  return (err as OutboundFetchError).reason;
};

describe('a bounded outbound fetch', () => {
  it('fetches a document from loopback on the local stack', async () => {
    expect((await fetchBounded(`${base}/ok`, local)).body).toBe('{"ok":true}');
  });

  it('refuses http on AWS', async () => {
    expect(await reasonOf(fetchBounded(`${base}/ok`, { local: false }))).toMatch(/https/);
  });

  it('refuses a loopback, private or metadata-service address literal on AWS, before connecting', async () => {
    for (const url of [
      'https://127.0.0.1/x',
      'https://10.0.0.1/x',
      'https://169.254.169.254/latest/meta-data',
      'https://[::1]/x',
      'https://[::ffff:127.0.0.1]/x',
    ]) {
      expect(await reasonOf(fetchBounded(url, { local: false })), url).toMatch(/not allowed/);
    }
  });

  it('refuses a DNS name that resolves to a private address, and asks the resolver once', async () => {
    const resolve = vi.fn(async () => [{ address: '10.0.0.5', family: 4 }]);

    expect(await reasonOf(fetchBounded('https://idp.acme.test/x', { local: false, resolve }))).toMatch(/not allowed/);
    expect(resolve).toHaveBeenCalledTimes(1);
  });

  it('refuses a name that resolves to a public and a private address (no picking the safe one to pass the check)', async () => {
    const resolve = async () => [
      { address: '93.184.216.34', family: 4 },
      { address: '169.254.169.254', family: 4 },
    ];
    expect(await reasonOf(fetchBounded('https://idp.acme.test/x', { local: false, resolve }))).toMatch(/not allowed/);
  });

  it('refuses localhost on AWS through the real resolver', async () => {
    expect(await reasonOf(fetchBounded('https://localhost/x', { local: false }))).toMatch(/not allowed|does not resolve/);
  });

  it('stops reading past the size cap, declared or not', async () => {
    expect(await reasonOf(fetchBounded(`${base}/big-chunked`, local))).toMatch(/larger than 256 KB/);
    expect(await reasonOf(fetchBounded(`${base}/big-declared`, local))).toMatch(/larger than 256 KB/);
  });

  it('gives up on a server that trickles past the deadline', async () => {
    const started = Date.now();

    expect(await reasonOf(fetchBounded(`${base}/trickle`, { ...local, limits: { timeoutMs: 400 } }))).toMatch(
      /did not answer within 0.4 s/,
    );
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('follows at most 3 redirects', async () => {
    expect((await fetchBounded(`${base}/redirect?n=2`, local)).body).toBe('{"ok":true}');
    expect(await reasonOf(fetchBounded(`${base}/redirect?n=3`, local))).toMatch(/more than 3 times/);
  });

  it('checks the address of every redirect', async () => {
    expect(await reasonOf(fetchBounded(`${base}/to-private`, local))).toMatch(/not allowed/);
  });

  it('says which HTTP status the server answered', async () => {
    expect(await reasonOf(fetchBounded(`${base}/missing`, local))).toBe('it answered HTTP 404');
  });
});
