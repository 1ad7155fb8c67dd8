import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, isPortFree } from '../../../scripts/local/ports';
import { freeStackPorts } from '../../../scripts/local/temporary-stack';
import { stack, stateDir } from '../support/stack';

const ROOT = path.resolve(__dirname, '../../..');

const waitFor = async <T>(probe: () => T | undefined, timeoutMs: number): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 200));
  }
};

describe('npm start', () => {
  it('writes stack.json in the documented shape', () => {
    const written = JSON.parse(fs.readFileSync(path.join(stateDir, 'stack.json'), 'utf8'));

    expect(written).toEqual({
      region: expect.any(String),
      apiUrl: expect.stringMatching(/^http:\/\/localhost:\d+$/),
      cognito: { endpoint: expect.stringMatching(/^http:\/\//), userPoolId: expect.any(String), clientId: expect.any(String) },
      identityPool: {
        endpoint: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
        identityPoolId: expect.stringMatching(/^[\w-]+:[0-9a-f-]{36}$/),
      },
      dynamodb: { endpoint: expect.stringMatching(/^http:\/\//) },
      s3: { endpoint: expect.stringMatching(/^http:\/\//), bucket: expect.any(String) },
      dns: { server: expect.stringMatching(/^127\.0\.0\.1:\d+$/), zoneFile: expect.stringMatching(/zone\.json$/) },
      oidcIdp: {
        issuer: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
        clients: expect.arrayContaining([{ clientId: expect.any(String), clientSecret: expect.any(String) }]),
      },
    });
    expect(written).toEqual(stack);
  });

  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'tenantgate-start-'));
  afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

  it('reaches ready, answers /health, serves the web app at the printed webUrl, and on Ctrl-C stops every process it started', {
    timeout: 180_000,
  }, async () => {
    // Prepare: a second stack on its own ports (the web app's too) and state directory
    const ports = { ...(await freeStackPorts()), identity: await freePort(), web: await freePort() };
    const env = {
      ...process.env,
      TG_STATE_DIR: scratch,
      TG_API_PORT: String(ports.api),
      TG_LAMBDA_PORT: String(ports.lambda),
      TG_COGNITO_PORT: String(ports.cognito),
      TG_DYNAMODB_PORT: String(ports.dynamodb),
      TG_S3_PORT: String(ports.s3),
      TG_DNS_PORT: String(ports.dns),
      TG_OIDC_PORT: String(ports.oidc),
      TG_IDENTITY_PORT: String(ports.identity),
      TG_WEB_PORT: String(ports.web),
    };
    const child = spawn('npm', ['start', '--silent'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    child.stdout.on('data', (d) => {
      output += d;
    });
    child.stderr.on('data', (d) => {
      output += d;
    });
    const exited = new Promise<string>((resolve) => child.once('exit', (code, signal) => resolve(String(code ?? signal))));

    try {
      // Act 1: wait for ready
      const stackFile = path.join(scratch, 'stack.json');
      await waitFor(() => (fs.existsSync(stackFile) ? true : undefined), 150_000);
      const info = JSON.parse(fs.readFileSync(stackFile, 'utf8')) as { apiUrl: string; webUrl?: string };

      // Assess 1
      expect(info.apiUrl).toBe(`http://localhost:${ports.api}`);
      const health = await fetch(`${info.apiUrl}/health`);
      expect(await health.json()).toEqual({ status: 'ok' });
      expect(output).toContain('ready');
      // SPEC §4: the web app at `webUrl`, printed, configured for this stack's API
      expect(info.webUrl).toBe(`http://localhost:${ports.web}`);
      expect(output).toContain(`Web app       ${info.webUrl}`);
      const page = await fetch(info.webUrl ?? '');
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<div id="app"');
      expect(await (await fetch(`${info.webUrl}/config.json`)).json()).toMatchObject({ apiUrl: info.apiUrl });

      // Act 2: Ctrl-C (SIGINT to the whole foreground process group, as a terminal does)
      process.kill(-(child.pid ?? 0), 'SIGINT');
      const code = await Promise.race([exited, new Promise<'hung'>((r) => setTimeout(() => r('hung'), 30_000))]);

      // Assess 2: npm itself may end by the signal; the stack must have stopped cleanly first
      expect(['0', 'SIGINT']).toContain(code);
      expect(output).toContain('Stopped.');
      for (const port of Object.values(ports)) expect(await isPortFree(port)).toBe(true);
      const leftovers = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
        .split('\n')
        .filter((line) => line.includes(scratch));
      expect(leftovers).toEqual([]);
      expect(fs.existsSync(stackFile)).toBe(false);
    } finally {
      if (child.exitCode === null && child.signalCode === null) {
        try {
          process.kill(-(child.pid ?? 0), 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
  });
});
