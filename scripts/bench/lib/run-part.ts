/**
 * Runs one part in this (child) process and writes its result as JSON: each
 * part gets a fresh process, so the environment it sets for src/ and the
 * modules it loads never leak into another part's figures.
 */
import fs from 'node:fs';
import type { PartName, PartResult } from './report';

const loaders: Record<PartName, () => Promise<{ run: () => Promise<PartResult> }>> = {
  auth: () => import('../parts/auth-chain'),
  cold: () => import('../parts/cold-start'),
  dynamodb: () => import('../parts/dynamodb-round-trips'),
  storm: () => import('../parts/login-storm'),
  csv: () => import('../parts/csv-ingest'),
  e2e: () => import('../parts/end-to-end'),
};

const main = async () => {
  const [part, outFile] = process.argv.slice(2) as [PartName, string];
  const result = await (await loaders[part]()).run();
  fs.writeFileSync(outFile, JSON.stringify(result));
};

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
