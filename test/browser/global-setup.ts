import type { TestProject } from 'vitest/node';
import { startTemporaryStack } from '../../scripts/local/temporary-stack';

/**
 * One local stack with the web app (built if stale) for the browser walk, on
 * free ports in a fresh state directory, stopped and removed at the end.
 * Provides what the integration support modules read (`stack`, `stateDir`).
 */
export default async function setup(project: TestProject) {
  const started = Date.now();
  const stack = await startTemporaryStack('web', { web: true });
  console.log(`[browser] local stack and web app ready in ${((Date.now() - started) / 1000).toFixed(1)} s (${stack.info.webUrl})`);
  project.provide('stack', stack.info);
  project.provide('stackPorts', stack.ports);
  project.provide('stateDir', stack.stateDir);
  return () => stack.stop();
}
