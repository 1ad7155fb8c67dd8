/**
 * Cold start: every function bundled the way serverless-esbuild bundles it
 * (`custom.esbuild` from the resolved serverless.yml), and an empty handler
 * with the same options; then fresh `node` processes that load the bundle
 * and serve one event, timed from spawn to the first response.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { type BuildOptions, build, type Metafile } from 'esbuild';
import { type Proposal, proposalPath, sourceWith } from '../lib/proposals';
import { commandOf, fmtKiB, fmtRatio, median, type PartResult, runMeta, table } from '../lib/report';
import { entryOf, type FunctionDef, httpRouteOf, loadServiceConfig, type ServiceConfig } from '../lib/service-config';
import { benchSrcRoot, REPO_ROOT } from '../lib/source-root';
import { benchWorkDir } from '../lib/workdir';

const RUNNER = path.join(__dirname, '../cold-start/runner.cjs');
const RUNS = 7;
const EMPTY = '(empty handler)';
const MAX_BYTES = 1024 * 1024;

/** serverless-esbuild's own options, which it strips before calling esbuild (src/bundle.ts). */
const PLUGIN_ONLY = [
  'concurrency',
  'zipConcurrency',
  'exclude',
  'nativeZip',
  'packager',
  'packagePath',
  'watch',
  'keepOutputDirectory',
  'packagerOptions',
  'installExtraArgs',
  'outputFileExtension',
  'outputBuildFolder',
  'outputWorkFolder',
  'nodeExternals',
  'skipBuild',
  'skipRebuild',
  'skipBuildExcludeFns',
  'stripEntryResolveExtensions',
  'disposeContext',
];

const RUNTIME_SDK = ['@aws-sdk/*', '@smithy/*'];
/** What `custom.esbuild` would gain: ESM builds first (so esbuild tree-shakes the SDK), and maps without embedded sources. */
export const RECOMMENDED_ESBUILD: BuildOptions = { mainFields: ['module', 'main'], sourcesContent: false };
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
export const RECOMMENDED_SRC: Proposal[] = ['authHotPath', 'zodNamespaceImport', 'lazyAwsClients'];
/** The experiments run on these functions only (and the empty handler), to keep the run short. */
const SAMPLE_FUNCTIONS = ['health', 'getMe', 'listMembers', 'createInvite', 'revokeSession', 'preTokenGeneration'];
const EXPERIMENT_RUNS = 5;
const NOISE_MS = 5;

type Variant = {
  id: string;
  label: string;
  /** src/ proposals applied to a copy before bundling; none: the repository's src/. */
  src: Proposal[];
  esbuild: BuildOptions;
  external: string[];
  nodeFlags: string[];
  /** Every function (the headline variants), or SAMPLE_FUNCTIONS. */
  every: boolean;
  /** Reuse the bundles of another variant (only the node flags differ). */
  bundleOf?: string;
};
const MAPS = ['--enable-source-maps'];
const VARIANTS: Variant[] = [
  {
    id: 'configured',
    label: 'as configured (SDK bundled from its CJS builds, `--enable-source-maps`)',
    src: [],
    esbuild: {},
    external: [],
    nodeFlags: MAPS,
    every: true,
  },
  {
    id: 'proposed',
    label:
      'everything recommended below: `mainFields: [module, main]`, `sourcesContent: false`, src/ proposals; `--enable-source-maps` kept',
    src: RECOMMENDED_SRC,
    esbuild: RECOMMENDED_ESBUILD,
    external: [],
    nodeFlags: MAPS,
    every: true,
  },
  {
    id: 'noMaps',
    label: 'as configured, without `--enable-source-maps`',
    src: [],
    esbuild: {},
    external: [],
    nodeFlags: [],
    every: false,
    bundleOf: 'configured',
  },
  {
    id: 'runtimeSdk',
    label: 'as configured, `@aws-sdk/*` and `@smithy/*` from the runtime',
    src: [],
    esbuild: {},
    external: RUNTIME_SDK,
    nodeFlags: MAPS,
    every: false,
  },
  {
    id: 'esmFirst',
    label: 'as configured + `mainFields: [module, main]` (SDK bundled, tree-shaken)',
    src: [],
    esbuild: { mainFields: ['module', 'main'] },
    external: [],
    nodeFlags: MAPS,
    every: false,
  },
  {
    id: 'sourcesContent',
    label: 'as configured + `sourcesContent: false`',
    src: [],
    esbuild: { sourcesContent: false },
    external: [],
    nodeFlags: MAPS,
    every: false,
  },
  {
    id: 'zodImport',
    label: `as configured, src/ with \`${proposalPath('zodNamespaceImport')}\``,
    src: ['zodNamespaceImport'],
    esbuild: {},
    external: [],
    nodeFlags: MAPS,
    every: false,
  },
  {
    id: 'proposedRuntimeSdk',
    label: 'everything recommended, but `@aws-sdk/*` and `@smithy/*` from the runtime',
    src: RECOMMENDED_SRC,
    esbuild: { sourcesContent: false },
    external: RUNTIME_SDK,
    nodeFlags: MAPS,
    every: false,
  },
  {
    id: 'proposedLeanCredentials',
    label:
      'everything recommended, and the credential providers a Lambda never calls (SSO, INI, process, web identity, IMDS and their STS/SSO clients) left to the runtime',
    src: RECOMMENDED_SRC,
    esbuild: RECOMMENDED_ESBUILD,
    external: UNUSED_ON_LAMBDA,
    nodeFlags: MAPS,
    every: false,
  },
  {
    id: 'proposedNoMaps',
    label: 'everything recommended, without `--enable-source-maps`',
    src: RECOMMENDED_SRC,
    esbuild: {},
    external: [],
    nodeFlags: [],
    every: false,
    bundleOf: 'proposed',
  },
];

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

export const esbuildOptions = (config: ServiceConfig, external: string[]): BuildOptions => {
  const custom = { ...config.custom.esbuild };
  const exclude = ([] as string[]).concat((custom.exclude as string[] | undefined) ?? []);
  const configuredExternal = ([] as string[]).concat((custom.external as string[] | undefined) ?? []);
  for (const key of PLUGIN_ONLY) delete custom[key];
  return {
    ...(custom as BuildOptions),
    external: [...configuredExternal, ...(exclude.includes('*') ? [] : exclude), ...external],
    metafile: true,
    logLevel: 'silent',
  };
};

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

/** An HTTP function gets a request without a token (401, or 200 for the public route); a trigger a malformed event. */
const eventFor = (fn: FunctionDef): { event: unknown; expect: string } => {
  const route = httpRouteOf(fn);
  if (!route) return { event: {}, expect: 'error' };
  const pathParameters = Object.fromEntries([...route.path.matchAll(/\{(\w+)\}/g)].map((m) => [m[1], 'bench-id']));
  const rawPath = route.path.replace(/\{(\w+)\}/g, 'bench-id');
  return {
    event: {
      version: '2.0',
      routeKey: `${route.method} ${route.path}`,
      rawPath,
      rawQueryString: '',
      headers: { 'user-agent': 'bench', accept: 'application/json' },
      ...(Object.keys(pathParameters).length ? { pathParameters } : {}),
      isBase64Encoded: false,
      requestContext: {
        accountId: '123456789012',
        apiId: 'bench',
        domainName: 'bench.execute-api.eu-west-1.amazonaws.com',
        domainPrefix: 'bench',
        http: { method: route.method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'bench' },
        requestId: 'bench',
        routeKey: `${route.method} ${route.path}`,
        stage: '$default',
        time: '02/Jun/2025:09:00:00 +0000',
        timeEpoch: 1_748_854_800_000,
      },
    },
    expect: route.path === '/health' ? '200' : '401',
  };
};

type Job = { name: string; entry: string; exportName: string; fn: FunctionDef | undefined };

const bundleAll = async (config: ServiceConfig, variant: Variant, jobs: Job[], outRoot: string, serviceRoot: string): Promise<Bundle[]> => {
  const options = { ...esbuildOptions(config, variant.external), ...variant.esbuild };
  return Promise.all(
    jobs.map(async ({ name, entry, exportName, fn }) => {
      const outdir = path.join(outRoot, variant.id, name === EMPTY ? 'empty' : path.dirname(entry));
      const result = await build({ ...options, absWorkingDir: serviceRoot, entryPoints: [entry], outdir });
      const js = Object.entries(result.metafile?.outputs ?? {}).find(([file]) => file.endsWith('.js'));
      if (!js || !result.metafile) throw new Error(`no bundle for ${name}`);
      const { event, expect } = fn ? eventFor(fn) : { event: {}, expect: '200' };
      const map = Object.entries(result.metafile.outputs).find(([file]) => file.endsWith('.js.map'));
      return {
        name,
        file: path.resolve(serviceRoot, js[0]),
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

  // One patched copy of src/ per set of proposals; a variant whose patches no longer apply is left out.
  const roots = new Map<string, string | { error: string }>();
  const rootOf = (v: Variant) => {
    const id = v.src.join('+');
    if (!roots.has(id)) {
      if (!v.src.length) roots.set(id, path.dirname(benchSrcRoot()));
      else {
        const copy = sourceWith(v.src);
        roots.set(id, 'src' in copy ? path.dirname(copy.src) : copy);
      }
    }
    return roots.get(id) as string | { error: string };
  };
  const skipped: string[] = [];
  const bundles = new Map<string, Bundle[]>();
  const variants = VARIANTS.filter((v) => {
    const root = rootOf(v);
    if (typeof root !== 'string') skipped.push(`${v.label}: ${root.error}`);
    return typeof root === 'string';
  });
  for (const v of variants) {
    if (v.bundleOf) continue;
    bundles.set(v.id, await bundleAll(config, v, v.every ? allJobs : sampleJobs, workDir, rootOf(v) as string));
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
  const hasProposed = Boolean(byId('proposed'));

  const functions = functionsOf('configured');
  const configuredBundles = bundles.get('configured') ?? [];
  const rows = [EMPTY, ...functions].map((name) => {
    const b = configuredBundles.find((x) => x.name === name) as Bundle;
    const top = [...bytesByPackage(b.metafile).entries()].sort((x, y) => y[1] - x[1]).find(([pkg]) => pkg !== OUR_CODE && pkg !== 'other');
    return [
      name === EMPTY ? EMPTY : `\`${name}\``,
      fmtKiB(b.bytes),
      ms(name === EMPTY ? emptyWall('configured') : wall('configured', name)),
      fmtRatio(ratio('configured', name)),
      top && name !== EMPTY ? `${top[0]} (${fmtKiB(top[1])})` : '–',
      ...(hasProposed
        ? [
            fmtKiB(sizeOf('proposed', name)),
            ms(name === EMPTY ? emptyWall('proposed') : wall('proposed', name)),
            fmtRatio(ratio('proposed', name)),
          ]
        : []),
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

  const options = esbuildOptions(config, []);
  const markdown = [
    `Each function bundled with \`custom.esbuild\` as \`serverless print --stage dev\` resolves it (${Object.entries(options)
      .filter(([k]) => !['metafile', 'logLevel'].includes(k))
      .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
      .join(
        ', ',
      )}), as serverless-esbuild passes it to esbuild, and an empty handler bundled the same way. A sample is a fresh \`node\` process (${process.version}, the function's environment, \`NODE_OPTIONS\` as the variant says) that requires the bundle and serves one event: an HTTP API v2 request without a token for the routes (401; 200 for \`/health\`), a malformed event for the triggers (rejected). Timed from spawn to the response; median of ${RUNS} samples (${EXPERIMENT_RUNS} for the experiments), every variant interleaved. Size is the minified \`.js\`, without its source map. "From the runtime" marks the SDK external and resolves it from \`NODE_PATH\` (this repository's node_modules), as nodejs22.x resolves its own SDK from \`/var/runtime/node_modules\`.`,
    '',
    table(
      [
        'function',
        'size',
        'cold start',
        '× empty',
        'largest dependency',
        ...(hasProposed ? ['size, recommended', 'cold start, recommended', '× empty'] : []),
      ],
      rows,
    ),
    '',
    `Variants, same run (experiments on ${sampleNames.map((n) => `\`${n}\``).join(', ')}; the columns use those functions for every variant):`,
    '',
    table(['variant', 'empty handler', 'median function', 'worst × empty', 'largest bundle', 'largest source map'], variantRows),
    ...(skipped.length ? ['', `Not measured: ${skipped.join('; ')}`] : []),
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
  ].join('\n');

  // The notes compare variants on the sample functions, where every variant ran.
  const at = (id: string) => (byId(id) ? median(sampleNames.map((n) => wall(id, n))) : Number.NaN);
  const medianRatio = (id: string) => median(functionsOf(id).map((n) => ratio(id, n)));
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
  const delta = (from: string, to: string) => `${ms(at(from))} → ${ms(at(to))}`;
  const healthBundle = configuredBundles.find((b) => b.name === 'health');
  const zodInHealth = healthBundle ? (bytesByPackage(healthBundle.metafile).get('zod') ?? 0) : 0;
  const healthRatio = byId('proposed') && functions.includes('health') ? fmtRatio(ratio('proposed', 'health')) : '–';
  const sdkGap = at('proposedRuntimeSdk') - at('proposed');
  const sdkVerdict =
    Math.abs(sdkGap) < NOISE_MS
      ? 'the same within noise'
      : sdkGap > 0
        ? `bundling is ${ms(sdkGap)} faster`
        : `the runtime's is ${ms(-sdkGap)} faster`;
  const notes = [
    '**Notes: what costs most, what was tried, what holds the targets back.** Medians over the sample functions, same run.',
    '',
    `- *The dependency that costs most* is zod by bytes (${fmtKiB(zodInHealth)} of the ${fmtKiB(sizeOf('configured', 'health'))} of \`health\`, and the same in every bundle): \`import { z } from 'zod'\` imports zod's namespace object, which esbuild cannot tree-shake, so every schema type and every locale comes along. \`import * as z from 'zod'\` lets esbuild keep what is used ([\`${proposalPath('zodNamespaceImport')}\`](${proposalPath('zodNamespaceImport')}), 29 one-line changes): ${delta('configured', 'zodImport')}, largest sample bundle ${fmtKiB(largestSample('configured'))} → ${fmtKiB(largestSample('zodImport'))}. As a family the AWS SDK v3 weighs most (${share(families.get('AWS SDK v3') ?? 0)} of all bytes): the CommonJS builds (esbuild's default for \`platform: node\`) are one pre-bundled file per package that cannot be tree-shaken.`,
    `- *ESM builds first* (\`mainFields: [module, main]\`) let esbuild tree-shake the SDK: ${delta('configured', 'esmFirst')}.`,
    `- *Source maps:* with \`--enable-source-maps\` Node reads and parses the ~4 MB map of each bundle at load: ${delta('noMaps', 'configured')} for having the flag as configured. \`sourcesContent: false\` keeps file and line mapping (what a stack trace needs) and drops the embedded sources, so the largest map Node reads and parses goes from ${fmtKiB(mapOf('configured'))} to ${fmtKiB(mapOf('sourcesContent'))}; cold start: ${saving('configured', 'sourcesContent')}. With everything recommended, dropping the flag ${saving('proposed', 'proposedNoMaps')}.`,
    `- *Bundle the AWS SDK, or use the runtime's?* As configured (CommonJS builds bundled), the runtime's SDK ${saving('configured', 'runtimeSdk')}. With everything recommended (ESM builds, tree-shaken), bundled ${ms(at('proposed'))} against the runtime's ${ms(at('proposedRuntimeSdk'))}: ${sdkVerdict}. The runtime's copy is every package whole, read from many files; the bundle holds only what the code reaches. Bundling also keeps the SDK version the tests ran with (package-lock.json) instead of whatever the runtime ships that month. ${sdkGap <= -NOISE_MS ? 'In this run the runtime copy was faster: weigh that against the pinned version.' : 'Decision: bundle it, with ESM builds first.'}`,
    `- *Credential providers:* the SDK's default chain bundles every provider (and STS/SSO clients for them) though a Lambda, which has credentials in its environment, never calls them; leaving them to the runtime: ${saving('proposed', 'proposedLeanCredentials')}, largest sample bundle ${fmtKiB(largestSample('proposed'))} → ${fmtKiB(largestSample('proposedLeanCredentials'))}. Optional: safe on Lambda, where credentials are always in the environment, but the bundle then leans on the runtime's copies (another SDK version) for a path it never takes. In serverless.yml: these nine names in \`custom.esbuild.exclude\`.`,
    `- *Lazy clients* ([\`${proposalPath('lazyAwsClients')}\`](${proposalPath('lazyAwsClients')})): SES, Cognito and Secrets Manager are created on first use (a deployed stage's invite mail, a revocation with a refresh token, the first list on AWS), so the functions that merely contain them stop initializing them at load; included in "recommended".`,
    `- *Targets.* Everything recommended: slowest function ${byId('proposed') ? fmtRatio(worst('proposed')) : '–'} of the empty handler, largest bundle ${byId('proposed') ? `${fmtKiB(largest('proposed'))} (${largest('proposed') < MAX_BYTES ? 'under' : 'over'} 1 MB)` : '–'}. \`health\`, which does not load the SDK, is at ${healthRatio}. The 2× target means about ${ms(emptyWall('configured'))} of work on top of Node's own start; every other function compiles and initializes the DynamoDB client (its session check needs it: @smithy/core, the client, the credential chain, ~300 KiB minified even tree-shaken) plus zod and aws-jwt-verify, and that is what stays above 2×. Not tried here: a V8 compile cache shipped in the package (Node 22's \`module.enableCompileCache\`; this machine has Node 20), provisioned concurrency (removes cold starts for a price).`,
  ];
  // custom.esbuild as serverless.yml has it, with the two recommended keys after `sourcemap`.
  const yamlValue = (v: unknown) => (Array.isArray(v) ? `[${v.join(', ')}]` : String(v));
  const recommendedYaml = [
    '```yaml',
    'custom:',
    '  esbuild:',
    ...Object.entries(config.custom.esbuild).flatMap(([k, v]) => [
      `    ${k}: ${yamlValue(v)}`,
      ...(k === 'sourcemap'
        ? [
            '    sourcesContent: false      # new: maps keep file:line, not the sources',
            '    mainFields: [module, main] # new: ESM builds first, so the AWS SDK is tree-shaken',
          ]
        : []),
    ]),
    '```',
  ]
    .map((line) => `  ${line}`)
    .join('\n');
  const recommendations = byId('proposed')
    ? [
        `In serverless.yml \`custom.esbuild\`, add \`mainFields: [module, main]\` and \`sourcesContent: false\` (serverless-esbuild passes both to esbuild; \`serverless package\` with them gives the same bundles as this bench), keep \`exclude: []\` (the SDK stays bundled), keep \`NODE_OPTIONS: --enable-source-maps\` (readable stack traces in the logs; dropping it: ${saving('proposed', 'proposedNoMaps')}): with the src/ patches below, median cold start ${delta('configured', 'proposed')}, worst ${fmtRatio(worst('configured'))} → ${fmtRatio(worst('proposed'))} of an empty handler, largest bundle ${fmtKiB(largest('configured'))} → ${fmtKiB(largest('proposed'))}:\n\n${recommendedYaml}`,
        `Apply [\`${proposalPath('zodNamespaceImport')}\`](${proposalPath('zodNamespaceImport')}) then [\`${proposalPath('lazyAwsClients')}\`](${proposalPath('lazyAwsClients')}) (in that order): zod's import alone ${delta('configured', 'zodImport')}; tsc, biome and the unit tests pass with all three patches applied.`,
        ...(at('proposed') - at('proposedLeanCredentials') >= NOISE_MS
          ? [
              `Optional: also \`exclude\` the credential providers a Lambda never calls (${UNUSED_ON_LAMBDA.map((x) => `\`${x}\``).join(', ')}): ${delta('proposed', 'proposedLeanCredentials')} on the sample functions; see the note for the trade.`,
            ]
          : []),
      ]
    : [];

  const summaryOf = (id: string, label: string) =>
    byId(id)
      ? [
          { figure: `slowest function / empty handler, ${label}`, measured: fmtRatio(worst(id)), target: '≤ 2×', met: worst(id) <= 2 },
          { figure: `largest bundle, ${label}`, measured: fmtKiB(largest(id)), target: '< 1 MB', met: largest(id) < MAX_BYTES },
        ]
      : [];
  return {
    part: 'cold',
    title: 'Cold start',
    meta,
    command: commandOf('cold'),
    summary: [
      ...summaryOf('configured', 'as configured'),
      ...summaryOf('proposed', 'recommended'),
      {
        figure: 'median function / empty handler, as configured → recommended',
        measured: `${fmtRatio(medianRatio('configured'))} → ${fmtRatio(medianRatio('proposed'))}`,
        target: '(the worst is sensitive to this shared machine)',
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
