import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REASONS } from '../../../src/lib/files/ingest';

const MiB = 1024 * 1024;
const FILE_BYTES = 200 * MiB;
const MEMORY_BUDGET = 100 * MiB;
/** A row of empty fields costs csv-parse an array slot and a string per comma (about 1 GB for 20 MB): refused before parsing, it costs nothing. */
const BOMB_MEMORY_BUDGET = 64 * MiB;
const COLUMNS = ['id', 'user', 'score', 'comment', 'at'];

type ChildReport = {
  result: { status: string; rowCount?: number; columns?: string[]; reason?: string };
  size: number;
  baselineRss: number;
  peakRss: number;
  ms: number;
};

let dir: string;
let child: string;

/** The ingest core bundled for a plain node process, once for every file here. */
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenantgate-ingest-'));
  child = path.join(dir, 'ingest-child.cjs');
  await build({
    entryPoints: [path.join(__dirname, 'ingest-child.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile: child,
    logLevel: 'error',
  });
});

afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** Ingests `file` in a process of its own, then deletes the file; logs the time and the peak RSS growth. */
const ingestInChild = async (file: string, label: string): Promise<ChildReport> => {
  const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', child, file], { maxBuffer: MiB });
  fs.rmSync(file, { force: true });
  const report = JSON.parse(stdout) as ChildReport;
  const growth = (report.peakRss - report.baselineRss) / MiB;
  console.log(
    `[ingest] ${label}: ${(report.size / MiB).toFixed(0)} MiB, ${report.result.status} in ${(report.ms / 1000).toFixed(1)} s ` +
      `${report.result.status === 'ready' ? `(${(report.size / MiB / (report.ms / 1000)).toFixed(0)} MiB/s)` : `(${report.result.reason})`}; ` +
      `peak RSS growth ${growth.toFixed(1)} MiB (baseline ${(report.baselineRss / MiB).toFixed(0)} MiB, peak ${(report.peakRss / MiB).toFixed(0)} MiB)`,
  );
  return report;
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

/** A header and a data row, then `rows` rows of `rowBytes` commas each (empty fields only). */
const generateCommaRows = async (file: string, rows: number, rowBytes: number): Promise<void> => {
  const commas = Buffer.alloc(MiB, ',');
  async function* chunks() {
    yield `${COLUMNS.join(',')}\n1,a,2,b,c\n`;
    for (let row = 0; row < rows; row++) {
      for (let left = rowBytes; left > 0; left -= commas.length) yield commas.subarray(0, Math.min(left, commas.length));
      yield '\n';
    }
  }
  await pipeline(chunks, fs.createWriteStream(file));
};

describe('the ingest of a large file', () => {
  let report: ChildReport;
  let expectedRows: number;

  beforeAll(async () => {
    // Prepare: a generated 200 MiB CSV
    const csv = path.join(dir, 'large.csv');
    expectedRows = await generateCsv(csv, FILE_BYTES);

    // Act
    report = await ingestInChild(csv, `${expectedRows} rows`);
  }, 120_000);

  it('reads a 200 MiB CSV to the end and counts every row', () => {
    expect(report.size).toBeGreaterThanOrEqual(FILE_BYTES);
    expect(report.result).toEqual({ status: 'ready', columns: COLUMNS, rowCount: expectedRows, bytes: report.size });
  });

  it('grows the process by less than 100 MiB at its peak', () => {
    expect(report.peakRss - report.baselineRss).toBeLessThan(MEMORY_BUDGET);
  });
});

describe('the ingest of rows of empty fields only (a column bomb)', () => {
  let oneRow: ChildReport;
  let fullFile: ChildReport;

  beforeAll(async () => {
    // Prepare: one 20 MiB row of commas; and a file at the 100 MiB upload limit made of such rows
    const row = path.join(dir, 'comma-row.csv');
    const full = path.join(dir, 'comma-rows.csv');
    await generateCommaRows(row, 1, 20 * MiB);
    await generateCommaRows(full, 5, 20 * MiB);

    // Act
    oneRow = await ingestInChild(row, 'one 20 MiB row of commas');
    fullFile = await ingestInChild(full, 'a 100 MiB file of 20 MiB rows of commas');
  }, 120_000);

  it('rejects a 20 MiB row of commas, naming its line, and grows the process by less than 64 MiB', () => {
    expect(oneRow.result).toEqual({ status: 'rejected', reason: REASONS.tooManyFields(3) });
    expect(oneRow.peakRss - oneRow.baselineRss).toBeLessThan(BOMB_MEMORY_BUDGET);
  });

  it('rejects a 100 MiB file of such rows, and grows the process by less than 64 MiB', () => {
    expect(fullFile.size).toBeGreaterThanOrEqual(100 * MiB);
    expect(fullFile.result).toEqual({ status: 'rejected', reason: REASONS.tooManyFields(3) });
    expect(fullFile.peakRss - fullFile.baselineRss).toBeLessThan(BOMB_MEMORY_BUDGET);
  });
});
