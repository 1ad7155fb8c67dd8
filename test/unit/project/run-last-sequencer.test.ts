import { describe, expect, it } from 'vitest';
import type { TestSpecification, Vitest } from 'vitest/node';
import { RunLastSequencer } from '../../run-last-sequencer.mjs';

const ROOT = '/repo';

/** What Vitest's own sort reads of a file: its project, and the last run's results from the cache. */
const spec = (file: string) =>
  ({
    moduleId: `${ROOT}/${file}`,
    project: { name: 'integration', config: { sequence: { groupOrder: 0 }, isolate: true } },
  }) as unknown as TestSpecification;

/** The last run's durations and failures, the way Vitest's sequencer orders by them. */
const vitestWithCache = (results: Record<string, { failed: boolean; duration: number }>) =>
  ({
    config: { root: ROOT },
    cache: {
      getFileTestResults: (key: string) => results[key.replace('integration:', '')],
      getFileStats: () => ({ size: 1 }),
    },
  }) as unknown as Vitest;

describe('RunLastSequencer', () => {
  it('runs the log hygiene check after every other file, even when the last run makes Vitest put it first', async () => {
    // Prepare: the hygiene check failed last time and was the slowest, so Vitest alone would run it first
    const files = ['test/integration/a.test.ts', 'test/integration/logs/log-hygiene.test.ts', 'test/integration/b.test.ts'];
    const sequencer = new RunLastSequencer(
      vitestWithCache({
        'test/integration/a.test.ts': { failed: false, duration: 10 },
        'test/integration/b.test.ts': { failed: false, duration: 20 },
        'test/integration/logs/log-hygiene.test.ts': { failed: true, duration: 99 },
      }),
    );

    // Act
    const sorted = await sequencer.sort(files.map(spec));

    // Assess
    expect(sorted.map((s) => s.moduleId.slice(ROOT.length + 1))).toEqual([
      'test/integration/b.test.ts',
      'test/integration/a.test.ts',
      'test/integration/logs/log-hygiene.test.ts',
    ]);
  });
});
