import { defineConfig } from 'vitest/config';
import { RunLastSequencer } from './test/run-last-sequencer.mjs';

/**
 * Five projects: unit (one module, no services), template (the packaged
 * CloudFormation template, built offline once per run), integration (real
 * handlers and triggers on the local stack, started once per run and always
 * stopped), security (the adversarial suites, on a stack of their own;
 * `npm run test:security`, not part of `npm test`) and browser (the web app in
 * headless Chromium; `npm run test:browser`).
 */
export default defineConfig({
  test: {
    // The log hygiene check runs after every other integration file (test/run-last-sequencer.mts).
    sequence: { sequencer: RunLastSequencer },
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
          setupFiles: ['test/unit/setup-env.ts'],
          // Files share one module graph: loading the SDK once per file dominated the run.
          isolate: false,
        },
      },
      {
        test: {
          name: 'template',
          include: ['test/template/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/template/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/integration/global-setup.ts'],
          // Every api() answer is checked against docs/openapi.json (test/integration/setup-contract.ts).
          setupFiles: ['test/integration/setup-env.ts', 'test/integration/setup-contract.ts'],
          testTimeout: 60_000,
          hookTimeout: 180_000,
          // The suites share one stack; files run one after another to keep the 2-core machine responsive.
          fileParallelism: false,
        },
      },
      {
        // `npm run test:security`: the adversarial suites (token attacks, property fuzzing of
        // isolation and hostile input) against their own local stack; each writes a report for SECURITY.md.
        test: {
          name: 'security',
          include: ['test/security/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/integration/global-setup.ts'],
          setupFiles: ['test/integration/setup-env.ts'],
          testTimeout: 300_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
      {
        // `npm run test:browser`: the web app walked in headless Chromium (Debian's chromium,
        // driven by playwright-core) against a stack of its own that serves it; axe-core on every page.
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/browser/global-setup.ts'],
          setupFiles: ['test/browser/setup-env.ts'],
          testTimeout: 300_000,
          hookTimeout: 240_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
