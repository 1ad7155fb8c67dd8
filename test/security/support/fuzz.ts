import fc from 'fast-check';

/**
 * How a property-fuzzing suite runs: `FC_RUNS` sets the number of runs,
 * `FC_SEED` replays a run, `FC_PATH` (with `FC_SEED`) jumps straight to a
 * counterexample fast-check reported. The seed is printed before the runs and
 * repeated, with the path, in the failure message as one command to paste.
 */
export type FuzzSettings = {
  seed: number;
  numRuns: number;
  path: string | undefined;
  /** The command that replays this run; with `path`, only the counterexample. */
  reproduce: (path?: string, testName?: string) => string;
};

const intFromEnv = (name: string): number | undefined => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value)) throw new Error(`${name} must be an integer, got ${JSON.stringify(raw)}`);
  return value;
};

/** Quoted for a POSIX shell, so a test name with spaces and braces pastes as one argument. */
const shellQuote = (s: string): string => `'${s.replaceAll("'", `'\\''`)}'`;

/** Escaped for vitest's `-t`, which reads the name as a regular expression (matched against the full name). */
const asPattern = (name: string): string => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export const fuzzSettings = (suite: string, file: string, defaultRuns: number): FuzzSettings => {
  const seed = intFromEnv('FC_SEED') ?? (Date.now() ^ Math.floor(Math.random() * 0x7fffffff)) | 0;
  const path = process.env.FC_PATH || undefined;
  // fast-check runs numRuns cases starting at the path: one is the counterexample alone.
  const numRuns = path ? 1 : (intFromEnv('FC_RUNS') ?? defaultRuns);
  const reproduce = (p?: string, testName?: string) =>
    [
      `FC_SEED=${seed}`,
      ...(p ? [`FC_PATH=${p}`] : []),
      `npx vitest run --project security ${file}`,
      ...(testName ? [`-t ${shellQuote(asPattern(testName))}`] : []),
    ].join(' ');
  console.log(`[${suite}] fast-check seed ${seed}, ${numRuns} runs${path ? `, replaying path ${path}` : ''}; replay: ${reproduce()}`);
  return { seed, numRuns, path, reproduce };
};

/**
 * The parameters for `fc.assert`: seed, runs and path from the settings, and a
 * reporter in place of fast-check's own that puts the reproduction command
 * first in the failure message (fast-check's report, with the shrunk
 * counterexample and the error, follows).
 */
export const assertParameters = <T>(settings: FuzzSettings, testName?: string): fc.Parameters<T> => ({
  seed: settings.seed,
  numRuns: settings.numRuns,
  ...(settings.path ? { path: settings.path, endOnFailure: true } : {}),
  noDefaultPlugins: true,
  plugins: [
    () => ({
      onAllRunsComplete: async (details) => {
        if (!details.failed) return;
        const replay = settings.reproduce(details.counterexamplePath ?? undefined, testName);
        throw new Error(`Reproduce with: ${replay}\n\n${await fc.asyncDefaultReportMessage(details)}`, {
          cause: details.errorInstance,
        });
      },
    }),
  ],
});

/** Counts per key, for the report's breakdown. */
export class Tally {
  readonly counts: Record<string, number> = {};

  add(key: string): void {
    this.counts[key] = (this.counts[key] ?? 0) + 1;
  }
}
