import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Test files that must run after every other file of their project: the log
 * hygiene check scans what the whole integration run logged. Vitest's own
 * order is not by name (failed files first, then the slowest), so a name
 * that sorts last would not do.
 */
export const RUN_LAST: readonly string[] = ['test/integration/logs/log-hygiene.test.ts'];

const runsLast = (spec: TestSpecification) => RUN_LAST.some((file) => spec.moduleId.endsWith(file));

/** Vitest's order, with RUN_LAST moved to the end (files of a project without file parallelism run in this order). */
export class RunLastSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    return [...sorted.filter((spec) => !runsLast(spec)), ...sorted.filter(runsLast)];
  }
}
