/**
 * `npm run load [-- --duration 60 --connections 10 --tenants 4]`: concurrent
 * clients over read and write routes, with sign-ins beside them, against a
 * local stack of its own (free ports, a temp directory, always stopped at the
 * end). Passes when no answer is a 5xx, nothing times out, and afterwards the
 * audit log holds exactly one event per mutation and per sign-in that
 * succeeded. Prints a summary and writes `.local/reports/security/load.json`;
 * exits 1 when it fails. Informational about throughput: serverless-offline
 * runs every request through its own Lambda emulation.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { pointSrcAtStack } from '../bench/lib/local-stack';
import { startTemporaryStack, type TemporaryStack } from '../local/temporary-stack';
import { checkAudit, readLoadEvents } from './audit-check';
import { Ledger } from './ledger';
import { requestMix, STEP_COUNT } from './mix';
import { startSignIns } from './sign-ins';
import { renderSummary, verdictOf, writeLoadReport } from './summary';
import { warmUp } from './warm-up';
import { buildLoadWorld, type LoadTenant } from './world';

/** autocannon's own default: a request without an answer by then is an error. */
const TIMEOUT_SECONDS = 10;
const SIGN_IN_WORKERS = 2;
const PROGRESS_EVERY_MS = 5000;

const seconds = (since: number) => ((performance.now() - since) / 1000).toFixed(0);

const readOptions = () => {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '60' },
      connections: { type: 'string', default: '10' },
      tenants: { type: 'string', default: '4' },
    },
  });
  const whole = (name: string, raw: string): number => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a whole number of at least 1 (got ${raw})`);
    return n;
  };
  return {
    duration: whole('duration', values.duration),
    connections: whole('connections', values.connections),
    tenants: whole('tenants', values.tenants),
  };
};

const hammer = (url: string, options: { connections: number; duration: number; requests: autocannon.Request[] }, ledger: Ledger) =>
  new Promise<autocannon.Result>((resolve, reject) => {
    const started = Date.now();
    const before = ledger.totals();
    const progress = setInterval(() => {
      const t = ledger.totals();
      const answers = t.answers - before.answers;
      console.log(
        `[load] ${((Date.now() - started) / 1000).toFixed(0)} s: ${answers} answers, ${t.serverErrors - before.serverErrors} 5xx`,
      );
    }, PROGRESS_EVERY_MS);
    autocannon({ url, ...options, timeout: TIMEOUT_SECONDS }, (err, result) => {
      clearInterval(progress);
      if (err) reject(err);
      else resolve(result);
    });
  });

/** Users, warm-up, the load with sign-ins beside it, then the audit log held against what succeeded. */
const runLoad = async (stack: TemporaryStack, options: ReturnType<typeof readOptions>, started: number) => {
  // serverless-offline listens on 127.0.0.1; `localhost` may resolve to ::1 first.
  const api = `http://127.0.0.1:${stack.ports.api}`;
  pointSrcAtStack(stack, randomBytes(32).toString('base64url'));
  console.log(`[load] preparing ${options.tenants} tenants with a user of each role…`);
  const world = await buildLoadWorld(stack, api, options.tenants);
  const ledger = new Ledger();
  const workers = Math.ceil(options.connections / STEP_COUNT) + 1;
  console.log(`[load] warming each function up to ${workers} workers with requests that change nothing…`);
  await warmUp(api, world.tenants[0] as LoadTenant, workers, ledger);
  console.log(`[load] ready after ${seconds(started)} s`);

  const mix = requestMix(world.tenants, ledger);
  const since = new Date().toISOString();
  console.log(`[load] ${options.connections} connections for ${options.duration} s, sign-ins beside them…`);
  const signIns = startSignIns(world, stack.info.cognito, api, ledger, SIGN_IN_WORKERS);
  const load = { connections: options.connections, duration: options.duration, requests: mix.requests };
  const result = await hammer(api, load, ledger).finally(() => signIns.stop());
  mix.settle(TIMEOUT_SECONDS * 1000);
  console.log(
    `[load] autocannon: ${result.requests.total} answers, ${result.requests.average} req/s on average, ` +
      `2xx latency p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, ${result.errors} errors (${result.timeouts} timeouts)`,
  );

  console.log('[load] reading the audit log…');
  const events = await readLoadEvents(
    world.tenants.map((t) => t.tenantId),
    since,
  );
  const audit = checkAudit(events, ledger.expected, ledger.unresolved);
  const facts = {
    durationSeconds: options.duration,
    connections: options.connections,
    tenants: options.tenants,
    connectionErrors: result.errors - result.timeouts,
  };
  return { ledger, audit, facts };
};

const main = async (): Promise<number> => {
  // The stack's provisioning and src/lib run on this machine's Node (20+); Lambda runs nodejs22.x.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const options = readOptions();
  // Held from the moment it starts, so that Ctrl-C during the start still stops what it started.
  let starting: Promise<TemporaryStack> | undefined;
  let stopping: Promise<void> | undefined;
  // One stop, awaited by both the signal and the run it cuts short (which may fail first for it).
  const stopStack = (): Promise<void> => {
    stopping ??= (async () => (await starting?.catch(() => undefined))?.stop())();
    return stopping;
  };
  const onSignal = () => {
    console.log('[load] interrupted: stopping the local stack…');
    stopStack().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    const started = performance.now();
    console.log('[load] starting the local stack…');
    starting = startTemporaryStack('load');
    const stack = await starting;
    if (stopping) return 130;
    console.log(`[load] local stack: API ${stack.info.apiUrl}, Cognito ${stack.info.cognito.endpoint}, state ${stack.stateDir}`);
    const { ledger, audit, facts } = await runLoad(stack, options, started);
    console.log(renderSummary(ledger, audit, facts));
    writeLoadReport(ledger, audit, facts);
    console.log('[load] report written to .local/reports/security/load.json');
    return verdictOf(ledger, audit, facts).problems.length ? 1 : 0;
  } finally {
    await stopStack();
  }
};

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
