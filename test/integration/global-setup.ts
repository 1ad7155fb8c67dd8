import type { TestProject } from 'vitest/node';
import type { StackInfo, StackPorts } from '../../scripts/local/stack';
import { startTemporaryStack } from '../../scripts/local/temporary-stack';

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
  const started = Date.now();
  const stack = await startTemporaryStack('it');
  console.log(`[integration] local stack ready in ${((Date.now() - started) / 1000).toFixed(1)} s (${stack.stateDir})`);
  project.provide('stack', stack.info);
  project.provide('stackPorts', stack.ports);
  project.provide('stateDir', stack.stateDir);
  return () => stack.stop();
}
