/**
 * Runs the ingest core alone on a file, in a process of its own, and prints
 * its verdict with the process's memory: RSS once loaded (the baseline) and
 * the peak RSS of its whole life (getrusage), plus the time taken.
 */
import fs from 'node:fs';
import { ingestCsv } from '../../../src/lib/files/ingest';

const main = async () => {
  const file = process.argv[2];
  if (!file) throw new Error('usage: ingest-child <file>');
  const size = fs.statSync(file).size;
  globalThis.gc?.();
  const baselineRss = process.memoryUsage().rss;
  const started = performance.now();
  const result = await ingestCsv(fs.createReadStream(file), { size });
  const ms = performance.now() - started;
  const peakRss = process.resourceUsage().maxRSS * 1024;
  process.stdout.write(JSON.stringify({ result, size, baselineRss, peakRss, ms }));
};

main().catch((err) => {
  process.stderr.write(String(err?.stack ?? err));
  process.exit(1);
});
