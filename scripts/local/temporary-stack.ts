import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './ports';
import { type StackInfo, type StackPorts, startStack } from './stack';

export type TemporaryStack = { info: StackInfo; ports: StackPorts; stateDir: string; stop: () => Promise<void> };

export const freeStackPorts = async (): Promise<StackPorts> => ({
  api: await freePort(),
  lambda: await freePort(),
  cognito: await freePort(),
  dynamodb: await freePort(),
  s3: await freePort(),
});

/**
 * The local stack on free ports in a fresh state directory, for tests and
 * benchmarks: it never touches a developer's `npm start`, and `stop` stops
 * every process it started and removes the directory.
 */
export const startTemporaryStack = async (label: string): Promise<TemporaryStack> => {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), `tenantgate-${label}-`));
  const ports = await freeStackPorts();
  try {
    const stack = await startStack({ stateDir, ports, persist: false, echoApi: false });
    return {
      info: stack.info,
      ports,
      stateDir,
      stop: async () => {
        await stack.stop();
        if (!process.env.TG_KEEP_TEST_STATE) fs.rmSync(stateDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    fs.rmSync(stateDir, { recursive: true, force: true });
    throw err;
  }
};
