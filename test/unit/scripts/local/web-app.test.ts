import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../../scripts/local/ports';
import { serveWebApp, type WebServer } from '../../../../scripts/local/web-app';

/** The local stack's static server for the built web app. */
const config = {
  region: 'eu-west-1',
  apiUrl: 'http://localhost:3000',
  cognito: { endpoint: 'http://127.0.0.1:9229', userPoolId: 'local_abc', clientId: 'client' },
};
let outside: string;
let dist: string;
let server: WebServer;

beforeAll(async () => {
  // Prepare: a built app in a folder of its own
  outside = fs.mkdtempSync(path.join(os.tmpdir(), 'tg-web-'));
  fs.writeFileSync(path.join(outside, 'secret.txt'), 'not for the web');
  dist = path.join(outside, 'dist');
  fs.mkdirSync(dist);
  fs.mkdirSync(path.join(dist, 'assets'));
  fs.writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>app</title>');
  fs.writeFileSync(path.join(dist, 'assets', 'index-abc.js'), 'console.log(1)');
  fs.writeFileSync(path.join(dist, '.build-stamp'), '1');
  server = await serveWebApp({ port: await freePort(), config, s3Endpoint: 'http://127.0.0.1:4569', distDir: dist });
});
afterAll(async () => {
  await server.close();
  fs.rmSync(outside, { recursive: true, force: true });
});

const get = (p: string, init?: RequestInit) => fetch(`${server.url}${p}`, init);

describe('the web app server', () => {
  it('answers the stage config from the stack, never cached', async () => {
    const res = await get('/config.json');

    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toEqual(config);
  });

  it("answers index.html for the app's own routes, such as an invite link", async () => {
    const res = await get('/sign-up?email=a%40b.test&invite=i&invite_code=c');

    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await res.text()).toContain('<title>app</title>');
  });

  it('serves hashed assets as immutable and index.html as revalidated', async () => {
    const asset = await get('/assets/index-abc.js');
    const index = await get('/');

    expect(asset.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect(index.headers.get('cache-control')).toBe('no-cache');
  });

  it('sends a Content-Security-Policy that lets the app reach only the API, Cognito and S3', async () => {
    const csp = (await get('/')).headers.get('content-security-policy') ?? '';

    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self' http://localhost:3000 http://127.0.0.1:9229 http://127.0.0.1:4569");
    expect(csp).toContain("frame-ancestors 'none'");
  });

  it.each([
    ['a missing asset', '/assets/missing.js'],
    ['a path out of the folder', '/..%2fsecret.txt'],
    ['a path out of the folder, unencoded', '/../secret.txt'],
    ['a dot file', '/.build-stamp'],
  ])('refuses %s with 404', async (_, p) => {
    expect((await get(p)).status).toBe(404);
  });

  it('refuses other methods than GET and HEAD', async () => {
    expect((await get('/', { method: 'POST' })).status).toBe(405);
  });
});
