/**
 * `npm run bench [-- part...]`: measures the parts (auth, cold, dynamodb, storm,
 * csv, e2e; all by default), each in a fresh child process, and rewrites
 * BENCHMARKS.md with their figures (the sections of parts not run are kept).
 * Parts that need the local stack share one, started on free ports in a temp
 * directory and always stopped at the end.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type BenchStack, startBenchStack } from './lib/local-stack';
import { commandOf, PARTS, type PartName, type PartResult, runMeta, writeReport } from './lib/report';
import { printServiceConfig } from './lib/service-config';
import { REPO_ROOT } from './lib/source-root';

const NEEDS_STACK: PartName[] = ['dynamodb', 'e2e'];
const TITLES: Record<PartName, string> = {
  auth: 'Auth chain',
  cold: 'Cold start',
  dynamodb: 'DynamoDB round trips per route',
  storm: "One tenant's login storm",
  csv: 'CSV ingest',
  e2e: 'End to end on the local stack',
};
const PART_TIMEOUT_MS = 240_000;

const parseParts = (args: string[]): PartName[] => {
  if (!args.length) return [...PARTS];
  const unknown = args.filter((a) => !(PARTS as readonly string[]).includes(a));
  if (unknown.length) throw new Error(`Unknown part ${unknown.join(', ')}; the parts are ${PARTS.join(', ')}.`);
  return PARTS.filter((p) => args.includes(p));
};

const runPart = (part: PartName, env: NodeJS.ProcessEnv, workDir: string): Promise<PartResult> =>
  new Promise((resolve) => {
    const outFile = path.join(workDir, `${part}.json`);
    const started = Date.now();
    console.log(`[bench] ${part}…`);
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'lib/run-part.ts'), part, outFile], {
      cwd: REPO_ROOT,
      env,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), PART_TIMEOUT_MS);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      console.log(`[bench] ${part} done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
      if (code === 0 && fs.existsSync(outFile)) return resolve(JSON.parse(fs.readFileSync(outFile, 'utf8')) as PartResult);
      const why = signal ? `killed (${signal}) after ${PART_TIMEOUT_MS / 1000} s` : `exited with code ${code}`;
      resolve({
        part,
        title: TITLES[part],
        meta: runMeta(),
        command: commandOf(part),
        summary: [{ figure: 'this part', measured: 'failed', target: '–', met: false }],
        markdown: `The last run of this part failed (${why}); its output is in the terminal that ran \`${commandOf(part)}\`.`,
      });
    });
  });

const main = async () => {
  // The stack's provisioning and the parts run on this machine's Node (20+); Lambda runs nodejs22.x.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const parts = parseParts(process.argv.slice(2));
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenantgate-bench-'));
  const env: NodeJS.ProcessEnv = { ...process.env, TG_BENCH_WORKDIR: workDir };
  let stack: (BenchStack & { stop: () => Promise<void> }) | undefined;
  const cleanUp = async () => {
    const s = stack;
    stack = undefined;
    await s?.stop();
    fs.rmSync(workDir, { recursive: true, force: true });
  };
  const onSignal = () => {
    cleanUp().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const started = Date.now();
  const results: PartResult[] = [];
  try {
    const serviceFile = path.join(workDir, 'service.json');
    fs.writeFileSync(serviceFile, JSON.stringify(await printServiceConfig()));
    env.TG_BENCH_SERVICE = serviceFile;
    // The parts without the stack first, on a quieter machine.
    for (const part of parts.filter((p) => !NEEDS_STACK.includes(p))) results.push(await runPart(part, env, workDir));
    const stackParts = parts.filter((p) => NEEDS_STACK.includes(p));
    if (stackParts.length) {
      console.log('[bench] starting the local stack…');
      stack = await startBenchStack();
      env.TG_BENCH_STACK = JSON.stringify({ info: stack.info, ports: stack.ports, stateDir: stack.stateDir });
      for (const part of stackParts) results.push(await runPart(part, env, workDir));
    }
  } finally {
    await cleanUp();
  }
  writeReport(path.join(REPO_ROOT, 'BENCHMARKS.md'), results);
  console.log(`[bench] BENCHMARKS.md updated (${parts.join(', ')}) in ${((Date.now() - started) / 1000).toFixed(0)} s`);
};

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
