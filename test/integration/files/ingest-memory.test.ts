import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const MiB = 1024 * 1024;
const FILE_BYTES = 200 * MiB;
const MEMORY_BUDGET = 100 * MiB;
const COLUMNS = ['id', 'user', 'score', 'comment', 'at'];

type ChildReport = {
  result: { status: string; rowCount?: number; columns?: string[]; reason?: string };
  size: number;
  baselineRss: number;
  peakRss: number;
  ms: number;
};

/** Writes a CSV of at least `bytes` into `file`, a megabyte of rows at a time; returns its data-row count. */
const generateCsv = async (file: string, bytes: number): Promise<number> => {
  let written = 0;
  let rows = 0;
  async function* chunks() {
    const header = `${COLUMNS.join(',')}\n`;
    written += header.length;
    yield header;
    while (written < bytes) {
      let chunk = '';
      while (chunk.length < MiB) {
        rows++;
        chunk += `${rows},user-${rows % 9973},${(rows * 7) % 1000}.${rows % 100},"note ${rows}, with a comma",2025-06-01T09:00:00Z\n`;
      }
      written += chunk.length;
      yield chunk;
    }
  }
  await pipeline(chunks, fs.createWriteStream(file));
  return rows;
};

describe('the ingest of a large file', () => {
  let dir: string;
  let report: ChildReport;
  let expectedRows: number;

  beforeAll(async () => {
    // Prepare: the core bundled for a plain node process, and a generated 200 MiB CSV
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenantgate-ingest-'));
    const child = path.join(dir, 'ingest-child.cjs');
    const csv = path.join(dir, 'large.csv');
    await build({
      entryPoints: [path.join(__dirname, 'ingest-child.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      outfile: child,
      logLevel: 'error',
    });
    expectedRows = await generateCsv(csv, FILE_BYTES);

    // Act
    const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', child, csv], { maxBuffer: MiB });
    report = JSON.parse(stdout) as ChildReport;
    fs.rmSync(csv, { force: true });
    const growth = (report.peakRss - report.baselineRss) / MiB;
    console.log(
      `[ingest] ${(report.size / MiB).toFixed(0)} MiB, ${expectedRows} rows in ${(report.ms / 1000).toFixed(1)} s ` +
        `(${(report.size / MiB / (report.ms / 1000)).toFixed(0)} MiB/s); peak RSS growth ${growth.toFixed(1)} MiB ` +
        `(baseline ${(report.baselineRss / MiB).toFixed(0)} MiB, peak ${(report.peakRss / MiB).toFixed(0)} MiB)`,
    );
  }, 120_000);

  afterAll(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reads a 200 MiB CSV to the end and counts every row', () => {
    expect(report.size).toBeGreaterThanOrEqual(FILE_BYTES);
    expect(report.result).toEqual({ status: 'ready', columns: COLUMNS, rowCount: expectedRows, bytes: report.size });
  });

  it('grows the process by less than 100 MiB at its peak', () => {
    expect(report.peakRss - report.baselineRss).toBeLessThan(MEMORY_BUDGET);
  });
});
