import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { freePort } from '../../scripts/local/ports';
import { type StackInfo, type StackPorts, startStack } from '../../scripts/local/stack';

declare module 'vitest' {
  export interface ProvidedContext {
    stack: StackInfo;
    stackPorts: StackPorts;
    stateDir: string;
  }
}

/**
 * One local stack for the whole integration run, on free ports and in a
 * fresh state directory (so it never touches a developer's `npm start`),
 * stopped and removed at the end even when tests fail.
 */
export default async function setup(project: TestProject) {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenantgate-it-'));
  const ports: StackPorts = {
    api: await freePort(),
    lambda: await freePort(),
    cognito: await freePort(),
    dynamodb: await freePort(),
    s3: await freePort(),
  };
  const started = Date.now();
  const stack = await startStack({ stateDir, ports, persist: false, echoApi: false });
  console.log(`[integration] local stack ready in ${((Date.now() - started) / 1000).toFixed(1)} s (${stateDir})`);
  project.provide('stack', stack.info);
  project.provide('stackPorts', ports);
  project.provide('stateDir', stateDir);
  return async () => {
    await stack.stop();
    if (!process.env.TG_KEEP_TEST_STATE) fs.rmSync(stateDir, { recursive: true, force: true });
  };
}
