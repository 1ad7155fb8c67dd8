import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The run's scratch directory (the orchestrator's TG_BENCH_WORKDIR, removed at the end), or a new one. */
export const benchWorkDir = (): string => {
  const dir = process.env.TG_BENCH_WORKDIR ?? fs.mkdtempSync(path.join(os.tmpdir(), 'tenantgate-bench-'));
  process.env.TG_BENCH_WORKDIR = dir;
  fs.mkdirSync(dir, { recursive: true });
  return dir;
};
