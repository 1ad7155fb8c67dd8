/**
 * Cold start: every function bundled the way serverless-esbuild bundles it
 * (`custom.esbuild` from the resolved serverless.yml), and an empty handler
 * with the same options; then fresh `node` processes that load the bundle
 * and serve one event, timed from spawn to the first response. A few
 * variants of the configuration (node flags, what is left external, esbuild
 * options) run on sample functions, interleaved with it.
 */

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { type BuildOptions, build, type Metafile } from 'esbuild';
import { esbuildOptions } from '../lib/esbuild-options';
import { httpEvent } from '../lib/http-event';
import { commandOf, fmtKiB, fmtRatio, median, type PartResult, runMeta, table } from '../lib/report';
import { entryOf, type FunctionDef, httpRouteOf, loadServiceConfig, type ServiceConfig } from '../lib/service-config';
import { REPO_ROOT } from '../lib/source-root';
import { benchWorkDir } from '../lib/workdir';

const RUNNER = path.join(__dirname, '../cold-start/runner.cjs');
const RUNS = 7;
const EMPTY = '(empty handler)';
const MAX_BYTES = 1024 * 1024;

const RUNTIME_SDK = ['@aws-sdk/*', '@smithy/*'];
/** The SDK's default credential chain reaches these only when the environment has no credentials, never on Lambda. */
const UNUSED_ON_LAMBDA = [
  '@aws-sdk/credential-provider-ini',
  '@aws-sdk/credential-provider-sso',
  '@aws-sdk/credential-provider-process',
  '@aws-sdk/credential-provider-web-identity',
  '@aws-sdk/credential-provider-login',
  '@aws-sdk/credential-provider-http',
  '@aws-sdk/token-providers',
  '@aws-sdk/nested-clients',
  '@smithy/credential-provider-imds',
];
/** The experiments run on these functions only (and the empty handler), to keep the run short. */
const SAMPLE_FUNCTIONS = ['health', 'getMe', 'listMembers', 'createInvite', 'revokeSession', 'preTokenGeneration'];
const EXPERIMENT_RUNS = 5;
const NOISE_MS = 5;

type Variant = {
  id: string;
  label: string;
  /** On top of `custom.esbuild`. */
  esbuild: BuildOptions;
  external: string[];
  nodeFlags: string[];
  /** Every function (as configured), or SAMPLE_FUNCTIONS. */
  every: boolean;
  /** Reuse the bundles of another variant (only the node flags differ). */
  bundleOf?: string;
};
const MAPS = ['--enable-source-maps'];
const VARIANTS: Variant[] = [
  {
    id: 'configured',
    label: 'as configured (serverless.yml `custom.esbuild`: SDK bundled from its ESM builds, maps without sources; `--enable-source-maps`)',
    esbuild: {},
    external: [],
    nodeFlags: MAPS,
    every: true,
  },
  {
    id: 'runtimeSdk',
    label: 'as configured, but `@aws-sdk/*` and `@smithy/*` from the runtime',
    esbuild: {},
    external: RUNTIME_SDK,
    nodeFlags: MAPS,
    every: false,
  },
  {
    id: 'noMaps',
    label: 'as configured, without `--enable-source-maps`',
    esbuild: {},
    external: [],
    nodeFlags: [],
    every: false,
    bundleOf: 'configured',
  },
  {
    id: 'mainFirst',
    label: "as configured, but esbuild's default `mainFields` for node (`main` first: the SDK's CommonJS builds)",
    esbuild: { mainFields: ['main', 'module'] },
    external: [],
    nodeFlags: MAPS,
    every: false,
  },
  {
    id: 'withSources',
    label: 'as configured, but source maps with the sources embedded (`sourcesContent: true`)',
    esbuild: { sourcesContent: true },
    external: [],
    nodeFlags: MAPS,
    every: false,
  },
  {
    id: 'leanCredentials',
    label:
      'as configured, and the credential providers a Lambda never calls (SSO, INI, process, web identity, IMDS and their STS/SSO clients) left to the runtime',
    esbuild: {},
    external: UNUSED_ON_LAMBDA,
    nodeFlags: MAPS,
    every: false,
  },
];

/**
 * History, not measured here: the earlier run (BENCHMARKS.md as of commit
 * 630a2b3), which measured the changes since applied (serverless.yml
 * `mainFields` and `sourcesContent`, the zod namespace import, lazy AWS
 * clients, the auth hot path) against the code before them, on the same
 * sample functions. Columns: median function, worst × empty handler, largest
 * bundle, largest source map.
 */
const EARLIER = {
  commit: '630a2b3',
  date: '2026-11-22 01:20 UTC',
  load: 1.52,
  rows: [
    [
      "the code before the changes: `import { z } from 'zod'`, SES, Cognito and Secrets Manager clients created at load, CommonJS builds first, maps with sources",
      '205 ms',
      '6.48×',
      '1157 KiB',
      '4247 KiB',
    ],
    ['before + `mainFields: [module, main]`', '145 ms', '4.75×', '899 KiB', '3485 KiB'],
    ['before + `sourcesContent: false`', '176 ms', '6.43×', '1157 KiB', '1574 KiB'],
    ["before, src/ with `import * as z from 'zod'`", '174 ms', '5.39×', '804 KiB', '3381 KiB'],
    ['before, SDK from the runtime', '170 ms', '5.45×', '501 KiB', '1735 KiB'],
    [
      'all of the changes (both options, the zod import, lazy clients, the auth hot path): what is applied now',
      '131 ms',
      '4.30×',
      '617 KiB',
      '1088 KiB',
    ],
    ['all of the changes, SDK from the runtime', '143 ms', '4.46×', '150 KiB', '244 KiB'],
  ],
  /** Over every function, before → all of the changes. */
  worst: '6.73× → 4.42×',
  largest: '1254 KiB → 638 KiB',
  medianRatio: '5.85× → 3.87×',
};

type Bundle = {
  name: string;
  file: string;
  exportName: string;
  bytes: number;
  mapBytes: number;
  metafile: Metafile;
  event: unknown;
  expect: string;
};
type Sample = { wallMs: number; loadMs: number; invokeMs: number; outcome: string };

/** The environment a deployed function gets; CloudFormation references become plausible values. */
const PLACEHOLDERS: Record<string, string> = {
  USER_POOL_ID: 'eu-west-1_BenchPool1',
  APP_CLIENT_IDS: 'benchclient1',
  CURSOR_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:tenantgate-bench-cursor',
};
const functionEnv = (config: ServiceConfig, name: string, fn: FunctionDef | undefined): NodeJS.ProcessEnv => {
  const merged = { ...config.provider.environment, ...fn?.environment };
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(merged)) {
    if (key === 'NODE_OPTIONS') continue; // applied as the variant's node flags
    env[key] = typeof value === 'string' || typeof value === 'number' ? String(value) : (PLACEHOLDERS[key] ?? 'bench');
  }
  return {
    ...env,
    PATH: process.env.PATH,
    LANG: 'C.UTF-8',
    AWS_REGION: 'eu-west-1',
    AWS_DEFAULT_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
    AWS_LAMBDA_FUNCTION_NAME: `tenantgate-dev-${name}`,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(config.provider.memorySize ?? 512),
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    // Where an external @aws-sdk/* resolves from, as /var/runtime/node_modules does on Lambda.
    NODE_PATH: path.join(REPO_ROOT, 'node_modules'),
  };
};

/** The routes anyone may call (serverless.yml): they answer a request without a token 200. */
const PUBLIC_PATHS = ['/health', '/openapi.json'];

/** An HTTP function gets a request without a token (401, or 200 for a public route); a trigger a malformed event. */
const eventFor = (fn: FunctionDef): { event: unknown; expect: string } => {
  const route = httpRouteOf(fn);
  if (!route) return { event: {}, expect: 'error' };
  const path = Object.fromEntries([...route.path.matchAll(/\{(\w+)\}/g)].map((m) => [m[1] ?? '', 'bench-id']));
  return {
    event: httpEvent({ method: route.method, route: route.path, path, headers: { accept: 'application/json' } }),
    expect: PUBLIC_PATHS.includes(route.path) ? '200' : '401',
  };
};

type Job = { name: string; entry: string; exportName: string; fn: FunctionDef | undefined };

const bundleAll = async (config: ServiceConfig, variant: Variant, jobs: Job[], outRoot: string): Promise<Bundle[]> => {
  const options = { ...esbuildOptions(config, variant.external), ...variant.esbuild };
  return Promise.all(
    jobs.map(async ({ name, entry, exportName, fn }) => {
      const outdir = path.join(outRoot, variant.id, name === EMPTY ? 'empty' : path.dirname(entry));
      const result = await build({ ...options, absWorkingDir: REPO_ROOT, entryPoints: [entry], outdir });
      const js = Object.entries(result.metafile?.outputs ?? {}).find(([file]) => file.endsWith('.js'));
      if (!js || !result.metafile) throw new Error(`no bundle for ${name}`);
      const { event, expect } = fn ? eventFor(fn) : { event: {}, expect: '200' };
      const map = Object.entries(result.metafile.outputs).find(([file]) => file.endsWith('.js.map'));
      return {
        name,
        file: path.resolve(REPO_ROOT, js[0]),
        exportName,
        bytes: js[1].bytes,
        mapBytes: map?.[1].bytes ?? 0,
        metafile: result.metafile,
        event,
        expect,
      };
    }),
  );
};

const coldStart = (bundle: Bundle, env: NodeJS.ProcessEnv, nodeFlags: string[]): Promise<Sample> =>
  new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, [...nodeFlags, RUNNER, bundle.file, bundle.exportName, JSON.stringify(bundle.event)], {
      env,
      stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
    });
    let line = '';
    let wallMs = 0;
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.stdio[3]?.on('data', (chunk: Buffer) => {
      if (!wallMs) wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      line += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', () => {
      clearTimeout(timer);
      try {
        const r = JSON.parse(line) as { outcome: string | number; loadMs: number; invokeMs: number };
        resolve({ wallMs, loadMs: r.loadMs, invokeMs: r.invokeMs, outcome: String(r.outcome) });
      } catch {
        reject(new Error(`${bundle.name}: the cold-start runner reported nothing`));
      }
    });
  });

/** Bytes in the bundle per npm package (scope/name) or `src`, from esbuild's metafile. */
const bytesByPackage = (metafile: Metafile): Map<string, number> => {
  const out = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input.slice(input.lastIndexOf('node_modules/')));
      const key = m?.[1] ?? (input.includes('src/') ? OUR_CODE : 'other');
      out.set(key, (out.get(key) ?? 0) + bytesInOutput);
    }
  }
  return out;
};

const OUR_CODE = 'our code (src/)';
const familyOf = (pkg: string) =>
  pkg.startsWith('@aws-sdk/') || pkg.startsWith('@smithy/') || pkg.startsWith('@aws-crypto/') ? 'AWS SDK v3' : pkg;

export const run = async (): Promise<PartResult> => {
  const meta = runMeta();
  const config = await loadServiceConfig();
  const workDir = path.join(benchWorkDir(), 'cold-start');
  const emptyEntry = path.join(workDir, 'empty-src', 'empty-handler.ts');
  fs.mkdirSync(path.dirname(emptyEntry), { recursive: true });
  fs.writeFileSync(emptyEntry, "export const handler = async () => ({ statusCode: 200, body: '' });\n");
  const allJobs: Job[] = [
    { name: EMPTY, entry: emptyEntry, exportName: 'handler', fn: undefined },
    ...Object.entries(config.functions).map(([name, fn]) => ({ name, ...entryOf(fn), fn })),
  ];
  const sampleJobs = allJobs.filter((j) => j.name === EMPTY || SAMPLE_FUNCTIONS.includes(j.name));

  const variants = VARIANTS;
  const bundles = new Map<string, Bundle[]>();
  for (const v of variants) {
    if (v.bundleOf) continue;
    bundles.set(v.id, await bundleAll(config, v, v.every ? allJobs : sampleJobs, workDir));
  }
  const bundlesOf = (v: Variant) =>
    (bundles.get(v.bundleOf ?? v.id) ?? []).filter((b) => v.every || b.name === EMPTY || SAMPLE_FUNCTIONS.includes(b.name));

  // Interleaved (run, function, variant), so that a noisy moment on this shared machine hits every variant alike.
  const samples = new Map<string, Sample[]>();
  const unexpected = new Set<string>();
  const key = (variant: string, name: string) => `${variant}|${name}`;
  for (let r = 0; r < RUNS; r++) {
    for (const job of allJobs) {
      for (const v of variants) {
        if (r >= (v.every ? RUNS : EXPERIMENT_RUNS)) continue;
        const bundle = bundlesOf(v).find((b) => b.name === job.name);
        if (!bundle) continue;
        const sample = await coldStart(bundle, functionEnv(config, job.name, job.fn), v.nodeFlags);
        if (sample.outcome !== bundle.expect)
          unexpected.add(`\`${job.name}\` (${v.id}) answered ${sample.outcome}, expected ${bundle.expect}`);
        samples.set(key(v.id, job.name), [...(samples.get(key(v.id, job.name)) ?? []), sample]);
      }
    }
  }

  const wall = (variant: string, name: string) => median((samples.get(key(variant, name)) ?? []).map((s) => s.wallMs));
  // The empty handler is the same few bytes in every variant: its samples are pooled per set of node flags, a steadier baseline.
  const emptyWall = (variant: string) => {
    const flags = variants.find((v) => v.id === variant)?.nodeFlags.join(' ');
    return median(
      variants.filter((v) => v.nodeFlags.join(' ') === flags).flatMap((v) => (samples.get(key(v.id, EMPTY)) ?? []).map((s) => s.wallMs)),
    );
  };
  const ratio = (variant: string, name: string) => wall(variant, name) / emptyWall(variant);
  const byId = (id: string) => variants.find((v) => v.id === id);
  const sizeOf = (id: string, name: string) => {
    const v = byId(id);
    return (v ? bundlesOf(v) : []).find((b) => b.name === name)?.bytes ?? 0;
  };
  const functionsOf = (id: string) => {
    const v = byId(id);
    return (v ? bundlesOf(v) : []).map((b) => b.name).filter((n) => n !== EMPTY);
  };
  const worst = (id: string) => Math.max(...functionsOf(id).map((n) => ratio(id, n)));
  const largest = (id: string) => Math.max(...functionsOf(id).map((n) => sizeOf(id, n)));
  const ms = (x: number) => `${x.toFixed(0)} ms`;

  const functions = functionsOf('configured');
  const configuredBundles = bundles.get('configured') ?? [];
  const slowest = functions.reduce((a, b) => (ratio('configured', b) > ratio('configured', a) ? b : a));
  const rows = [EMPTY, ...functions].map((name) => {
    const b = configuredBundles.find((x) => x.name === name) as Bundle;
    const top = [...bytesByPackage(b.metafile).entries()].sort((x, y) => y[1] - x[1]).find(([pkg]) => pkg !== OUR_CODE && pkg !== 'other');
    return [
      name === EMPTY ? EMPTY : `\`${name}\``,
      fmtKiB(b.bytes),
      fmtKiB(b.mapBytes),
      ms(name === EMPTY ? emptyWall('configured') : wall('configured', name)),
      fmtRatio(ratio('configured', name)),
      top && name !== EMPTY ? `${top[0]} (${fmtKiB(top[1])})` : '–',
    ];
  });

  // What costs most: bytes per package and per family, summed over every function's bundle as configured.
  const totals = new Map<string, number>();
  const families = new Map<string, number>();
  for (const b of configuredBundles) {
    if (b.name === EMPTY) continue;
    for (const [pkg, bytes] of bytesByPackage(b.metafile)) {
      totals.set(pkg, (totals.get(pkg) ?? 0) + bytes);
      families.set(familyOf(pkg), (families.get(familyOf(pkg)) ?? 0) + bytes);
    }
  }
  const allBytes = [...totals.values()].reduce((a, b) => a + b, 0);
  const share = (bytes: number) => `${((bytes / allBytes) * 100).toFixed(1)} %`;
  const topPackages = [...totals.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8);
  const topFamilies = [...families.entries()].sort((a, b) => b[1] - a[1]).slice(0, 5);

  const sampleNames = SAMPLE_FUNCTIONS.filter((n) => functions.includes(n));
  const variantRows = variants.map((v) => {
    const names = v.every ? sampleNames : functionsOf(v.id);
    return [
      v.label,
      ms(emptyWall(v.id)),
      ms(median(names.map((n) => wall(v.id, n)))),
      fmtRatio(Math.max(...names.map((n) => ratio(v.id, n)))),
      fmtKiB(Math.max(...names.map((n) => sizeOf(v.id, n)))),
      fmtKiB(
        Math.max(
          ...bundlesOf(v)
            .filter((b) => names.includes(b.name))
            .map((b) => b.mapBytes),
        ),
      ),
    ];
  });

  // The notes compare variants on the sample functions, where every variant ran.
  const at = (id: string) => median(sampleNames.map((n) => wall(id, n)));
  const medianRatio = median(functions.map((n) => ratio('configured', n)));
  const delta = (from: string, to: string) => `${ms(at(from))} → ${ms(at(to))}`;
  /** A difference within a few ms is this machine's noise, not a result. */
  const saving = (from: string, to: string) => {
    const d = at(from) - at(to);
    return Math.abs(d) < NOISE_MS
      ? `no difference beyond noise in this run (${delta(from, to)})`
      : `${d > 0 ? 'saves' : 'costs'} ${ms(Math.abs(d))} (${delta(from, to)})`;
  };
  const mapOf = (id: string) => {
    const v = byId(id);
    return Math.max(0, ...(v ? bundlesOf(v) : []).filter((b) => sampleNames.includes(b.name)).map((b) => b.mapBytes));
  };
  const largestSample = (id: string) => Math.max(0, ...sampleNames.map((n) => sizeOf(id, n)));
  const healthBundle = configuredBundles.find((b) => b.name === 'health');
  const healthPackages = healthBundle ? bytesByPackage(healthBundle.metafile) : new Map<string, number>();
  const healthSdk = [...healthPackages.entries()].filter(([pkg]) => familyOf(pkg) === 'AWS SDK v3').reduce((a, [, b]) => a + b, 0);
  const zodOf = (name: string) => {
    const b = configuredBundles.find((x) => x.name === name);
    return b ? (bytesByPackage(b.metafile).get('zod') ?? 0) : 0;
  };
  const zodRange = functions.map(zodOf).filter((b) => b > 0);
  const sdkGap = at('runtimeSdk') - at('configured');
  const sdkVerdict =
    Math.abs(sdkGap) < NOISE_MS
      ? `the same within noise (${ms(Math.abs(sdkGap))} apart)`
      : sdkGap > 0
        ? `bundling is ${ms(sdkGap)} faster`
        : `the runtime's is ${ms(-sdkGap)} faster`;
  const leanSaving = at('configured') - at('leanCredentials');

  const options = esbuildOptions(config, []);
  const markdown = [
    `Each function bundled with \`custom.esbuild\` as \`serverless print --stage dev\` resolves it (${Object.entries(options)
      .filter(([k]) => !['metafile', 'logLevel'].includes(k))
      .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
      .join(
        ', ',
      )}), as serverless-esbuild passes it to esbuild, and an empty handler bundled the same way. A sample is a fresh \`node\` process (${process.version}, the function's environment, \`NODE_OPTIONS\` as the variant says; serverless.yml sets \`--enable-source-maps\`) that requires the bundle and serves one event: an HTTP API v2 request without a token for the routes (401; 200 for \`/health\` and \`/openapi.json\`), a malformed event for the triggers (rejected). Timed from spawn to the response; median of ${RUNS} samples (${EXPERIMENT_RUNS} for the experiments), every variant interleaved. Size is the minified \`.js\`; the map is its linked \`.js.map\`, which Node reads at load with \`--enable-source-maps\`. "From the runtime" marks the SDK external and resolves it from \`NODE_PATH\` (this repository's node_modules), as nodejs22.x resolves its own SDK from \`/var/runtime/node_modules\`.`,
    '',
    table(['function', 'size', 'source map', 'cold start', '× empty', 'largest dependency'], rows),
    '',
    `Variants, same run (experiments on ${sampleNames.map((n) => `\`${n}\``).join(', ')}; the columns use those functions for every variant):`,
    '',
    table(['variant', 'empty handler', 'median function', 'worst × empty', 'largest bundle', 'largest source map'], variantRows),
    ...(unexpected.size ? ['', `Unexpected first responses (timed all the same): ${[...unexpected].join('; ')}.`] : []),
    '',
    `What the bundles are made of as configured, summed over all ${functions.length} functions (${fmtKiB(allBytes)}); by package and by family:`,
    '',
    table(
      ['package', 'bytes', 'share'],
      topPackages.map(([pkg, bytes]) => [pkg, fmtKiB(bytes), share(bytes)]),
    ),
    '',
    table(
      ['family', 'bytes', 'share'],
      topFamilies.map(([pkg, bytes]) => [pkg, fmtKiB(bytes), share(bytes)]),
    ),
    '',
    `Applied since the earlier run, and measured there before they were: \`mainFields: [module, main]\` and \`sourcesContent: false\` in serverless.yml \`custom.esbuild\`; in src/, zod imported as a namespace (\`import * as z from 'zod'\`, 29 files), the SES, Cognito and Secrets Manager clients created on first use, and the auth hot-path change (see Auth chain). The rows below are **from the earlier run** (${EARLIER.date}, load average ${EARLIER.load}; \`git show ${EARLIER.commit}:BENCHMARKS.md\`), which measured the code before these changes and each change on a scratch copy of src/ or with the option added, on the same sample functions; the last row is this run, with all of them in the repository. Over every function, that run measured worst ${EARLIER.worst} of an empty handler, median ${EARLIER.medianRatio}, largest bundle ${EARLIER.largest}.`,
    '',
    table(
      ['variant', 'median function', 'worst × empty', 'largest bundle', 'largest source map'],
      [
        ...EARLIER.rows.map((r) => [`earlier run, ${r[0]}`, ...r.slice(1)]),
        [
          'this run, as configured (all of the changes applied)',
          ms(at('configured')),
          fmtRatio(Math.max(...sampleNames.map((n) => ratio('configured', n)))),
          fmtKiB(largestSample('configured')),
          fmtKiB(mapOf('configured')),
        ],
      ],
    ),
  ].join('\n');

  const notes = [
    '**Notes: what costs most, what was tried, what holds the targets back.** Medians over the sample functions, this run unless marked as the earlier run.',
    '',
    `- *What costs most now.* By bytes over all bundles, the ${topFamilies[0]?.[0]} family (${share(topFamilies[0]?.[1] ?? 0)}); the largest single package is ${topPackages[0]?.[0]} (${share(topPackages[0]?.[1] ?? 0)}). zod is ${zodRange.length ? `${(Math.min(...zodRange) / 1024).toFixed(0)}–${fmtKiB(Math.max(...zodRange))}` : '–'} of each bundle now that it is imported as a namespace, which esbuild tree-shakes; with \`import { z } from 'zod'\` it was 443 KiB of every bundle and the largest package (earlier run). \`health\` is ${fmtKiB(sizeOf('configured', 'health'))}${healthSdk ? `, of which ${fmtKiB(healthSdk)} AWS SDK` : ', with no AWS SDK in it'}; every other function carries the DynamoDB client and its credential chain.`,
    `- *Bundle the AWS SDK, or use the runtime's?* Bundled (as configured) ${ms(at('configured'))} against the runtime's ${ms(at('runtimeSdk'))}: ${sdkVerdict}. The runtime's copy is every package whole, read from many files; the bundle holds only what the code reaches, since \`mainFields: [module, main]\` lets esbuild tree-shake the SDK's ESM builds (in the earlier run, with the SDK's CommonJS builds bundled, the runtime's copy was the faster one: 205 ms → 170 ms). Bundling also keeps the SDK version the tests ran with (package-lock.json) instead of whatever the runtime ships that month. ${sdkGap <= -NOISE_MS ? 'In this run the runtime copy was faster: weigh that against the pinned version, and re-run before changing `exclude`.' : 'Decision, as serverless.yml has it (`exclude: []`): bundle it.'}`,
    `- *ESM builds first.* Without \`mainFields: [module, main]\` esbuild takes each package's \`main\`, for the SDK a CommonJS file per package that cannot be tree-shaken: ${saving('mainFirst', 'configured')} for having the option, largest sample bundle ${fmtKiB(largestSample('mainFirst'))} → ${fmtKiB(largestSample('configured'))}.`,
    `- *Source maps.* With \`--enable-source-maps\` Node reads and parses each bundle's map at load; dropping the flag ${saving('configured', 'noMaps')}, at the price of stack traces in the logs that point into minified code, so serverless.yml keeps it. \`sourcesContent: false\` keeps file and line mapping (what a stack trace needs) and drops the embedded sources: largest sample map ${fmtKiB(mapOf('withSources'))} with them, ${fmtKiB(mapOf('configured'))} without; cold start ${saving('withSources', 'configured')} for leaving them out.`,
    `- *Credential providers.* The SDK's default chain bundles every provider (and STS/SSO clients for them) though a Lambda, which has credentials in its environment, never calls them; leaving them to the runtime ${saving('configured', 'leanCredentials')}, largest sample bundle ${fmtKiB(largestSample('configured'))} → ${fmtKiB(largestSample('leanCredentials'))}. Not applied: safe on Lambda, where credentials are always in the environment, but the bundle then leans on the runtime's copies (another SDK version) for a path it never takes. In serverless.yml it would be these nine names in \`custom.esbuild.exclude\`.`,
    `- *Applied, not re-measured alone.* The zod namespace import (earlier run: 205 ms → 174 ms on its own) and the lazy clients (measured only as part of the whole, earlier run: 205 ms → 131 ms with everything) need the code as it was before them, so this run does not repeat them; the table above keeps the earlier run's figures.`,
    `- *Targets.* Slowest function \`${slowest}\` at ${fmtRatio(worst('configured'))} of the empty handler (≤ 2×: ${worst('configured') <= 2 ? 'met' : 'not met'}), median ${fmtRatio(medianRatio)}; largest bundle ${fmtKiB(largest('configured'))} (${largest('configured') < MAX_BYTES ? 'under' : 'over'} 1 MB). \`health\` is at ${functions.includes('health') ? fmtRatio(ratio('configured', 'health')) : '–'}. The 2× target means about ${ms(emptyWall('configured'))} of work on top of Node's own start; every other function compiles and initializes the DynamoDB client (its session check needs it: @smithy/core, the client, the credential chain, a few hundred KiB minified even tree-shaken) plus zod and aws-jwt-verify, and that is what stays above 2×. Not tried here: a V8 compile cache shipped in the package (Node 22's \`module.enableCompileCache\`; this machine has Node 20), provisioned concurrency (removes cold starts for a price).`,
  ];

  const recommendations =
    leanSaving >= NOISE_MS
      ? [
          `Optional, not applied: \`exclude\` the credential providers a Lambda never calls (${UNUSED_ON_LAMBDA.map((x) => `\`${x}\``).join(', ')}): ${delta('configured', 'leanCredentials')} on the sample functions; see the Cold start notes for the trade.`,
        ]
      : [];

  return {
    part: 'cold',
    title: 'Cold start',
    meta,
    command: commandOf('cold'),
    summary: [
      {
        figure: 'slowest function / empty handler',
        measured: fmtRatio(worst('configured')),
        target: '≤ 2×',
        met: worst('configured') <= 2,
      },
      { figure: 'largest bundle', measured: fmtKiB(largest('configured')), target: '< 1 MB', met: largest('configured') < MAX_BYTES },
      {
        figure: 'median function / empty handler',
        measured: fmtRatio(medianRatio),
        target: '(the worst is sensitive to this shared machine)',
        met: null,
      },
      {
        figure: 'AWS SDK bundled / from the runtime (median of the sample functions)',
        measured: `${ms(at('configured'))} / ${ms(at('runtimeSdk'))}: ${sdkVerdict}`,
        target: '–',
        met: null,
      },
      {
        figure: 'dependency that costs most (bytes, all bundles)',
        measured: `${topFamilies[0]?.[0]} ${share(topFamilies[0]?.[1] ?? 0)}; largest package ${topPackages[0]?.[0]} ${share(topPackages[0]?.[1] ?? 0)}`,
        target: '–',
        met: null,
      },
    ],
    markdown: [markdown, '', ...notes].join('\n'),
    recommendations,
  };
};
