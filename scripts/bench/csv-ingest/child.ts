/**
 * One ingest of one file in a fresh process, so its peak RSS is the ingest's
 * own: prints { ms, bytes, rssBefore, maxRss, result } as JSON on stdout.
 * `read` mode only drains the same stream (Node's own floor for the file).
 */
import fs from 'node:fs';
import { ingestCsv } from '../../../src/lib/files/ingest';

const main = async () => {
  const [mode, file] = process.argv.slice(2) as [string, string];
  const size = fs.statSync(file).size;
  global.gc?.();
  const rssBefore = process.memoryUsage.rss();
  const started = performance.now();
  let result: unknown;
  if (mode === 'read') {
    let bytes = 0;
    for await (const chunk of fs.createReadStream(file)) bytes += (chunk as Buffer).length;
    result = { bytes };
  } else {
    const r = await ingestCsv(fs.createReadStream(file), { size });
    result = r.status === 'ready' ? { status: r.status, rowCount: r.rowCount, columns: r.columns.length } : r;
  }
  const ms = performance.now() - started;
  process.stdout.write(`${JSON.stringify({ ms, bytes: size, rssBefore, maxRss: process.resourceUsage().maxRSS * 1024, result })}\n`);
};

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
