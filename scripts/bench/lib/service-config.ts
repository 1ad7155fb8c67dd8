import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from './source-root';

export type HttpEventDef = { httpApi?: { method: string; path: string } };
export type FunctionDef = { handler: string; environment?: Record<string, unknown>; events?: HttpEventDef[] };
export type ServiceConfig = {
  provider: { environment?: Record<string, unknown>; runtime: string; memorySize?: number };
  custom: { esbuild: Record<string, unknown> };
  functions: Record<string, FunctionDef>;
};

/**
 * serverless.yml as the Framework resolves it (`serverless print`, offline:
 * no AWS credentials, an empty HOME), so the bench reads the same function
 * list, handlers, environment and `custom.esbuild` as a deploy would.
 */
export const printServiceConfig = async (stage = 'dev'): Promise<ServiceConfig> => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'tenantgate-bench-home-'));
  try {
    const kept = Object.entries(process.env).filter(([name]) => !/^(AWS_|TG_|SLS_|SERVERLESS_)/.test(name));
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [path.join(REPO_ROOT, 'node_modules/osls/bin/serverless.js'), 'print', '--stage', stage, '--format', 'json'],
      {
        cwd: REPO_ROOT,
        maxBuffer: 32 * 1024 * 1024,
        timeout: 60_000,
        env: {
          ...Object.fromEntries(kept),
          HOME: home,
          AWS_EC2_METADATA_DISABLED: 'true',
          SLS_TELEMETRY_DISABLED: '1',
          SLS_NOTIFICATIONS_MODE: 'off',
        },
      },
    );
    return JSON.parse(stdout) as ServiceConfig;
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
};

/** The resolved config the orchestrator printed once for the run (TG_BENCH_SERVICE), or a fresh print. */
export const loadServiceConfig = async (): Promise<ServiceConfig> => {
  const file = process.env.TG_BENCH_SERVICE;
  if (file && fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf8')) as ServiceConfig;
  return printServiceConfig();
};

export const httpRouteOf = (fn: FunctionDef): { method: string; path: string } | undefined => fn.events?.find((e) => e.httpApi)?.httpApi;

/** `src/handlers/me/get.handler` → the entry file and the export name. */
export const entryOf = (fn: FunctionDef): { entry: string; exportName: string } => {
  const dot = fn.handler.lastIndexOf('.');
  return { entry: `${fn.handler.slice(0, dot)}.ts`, exportName: fn.handler.slice(dot + 1) };
};
