import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './ports';
import { ROOT, type StackInfo, type StackPorts, startStack } from './stack';

/** Under the project (serverless-esbuild builds relative to it), beside `npm start`'s `.esbuild`. */
const TEMPORARY_BUILDS = '.esbuild-stacks';

export type TemporaryStack = { info: StackInfo; ports: StackPorts; stateDir: string; stop: () => Promise<void> };

export const freeStackPorts = async (): Promise<StackPorts> => ({
  api: await freePort(),
  lambda: await freePort(),
  cognito: await freePort(),
  dynamodb: await freePort(),
  s3: await freePort(),
  dns: await freePort(),
  // 0: the identity provider takes a free port itself (its issuer, in StackInfo, says which).
  oidc: 0,
  // 0: the local Identity Pool takes a free port itself (stack.json's identityPool.endpoint).
  identity: 0,
});

/**
 * The local stack on free ports in a fresh state directory, for tests and
 * benchmarks: it never touches a developer's `npm start`, and `stop` stops
 * every process it started and removes the directory. With `web` it also
 * serves the web app (the browser test), on a free port too.
 */
export const startTemporaryStack = async (label: string, options: { web?: boolean } = {}): Promise<TemporaryStack> => {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), `tenantgate-${label}-`));
  // Its own build folder too, so a developer's running `npm start` keeps its bundles.
  const buildDir = path.join(TEMPORARY_BUILDS, path.basename(stateDir));
  const removeBuild = () => fs.rmSync(path.join(ROOT, buildDir), { recursive: true, force: true });
  const ports = await freeStackPorts();
  try {
    const web = options.web ? { port: await freePort() } : undefined;
    const stack = await startStack({ stateDir, ports, persist: false, echoApi: false, buildDir, watch: false, ...(web ? { web } : {}) });
    return {
      info: stack.info,
      ports,
      stateDir,
      stop: async () => {
        await stack.stop();
        removeBuild();
        if (!process.env.TG_KEEP_TEST_STATE) fs.rmSync(stateDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    removeBuild();
    fs.rmSync(stateDir, { recursive: true, force: true });
    throw err;
  }
};
