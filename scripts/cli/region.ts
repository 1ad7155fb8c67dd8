import fs from 'node:fs';
import path from 'node:path';
import { getProfileName, loadConfig, NODE_REGION_CONFIG_OPTIONS } from '@smithy/core/config';

/** The region a `--stage` run talks to, and what chose it (printed for the operator). */
export type ResolvedRegion = { region: string; source: string };

/** The file `serverless deploy` reads: its `provider.region` is where a stage goes without `--region`. */
export const SERVICE_FILE = path.resolve(__dirname, '../../serverless.yml');

// An empty variable or flag (`AWS_REGION=`) means "not set", as in the AWS CLI, not "region ''".
const given = (value: string | undefined): string | undefined => (value ? value : undefined);

const REGION_SHAPE = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/**
 * The deploy's default region from serverless.yml's text: `provider.region` as
 * a literal or as the default of `${opt:region, '…'}`. Read from the file, not
 * a copy in code, so the CLI follows the stack when someone moves it; a small
 * line parse, because the YAML value is a Serverless variable a YAML parser
 * would not resolve anyway. Anything else (another variable) is undefined: the
 * caller then asks for --region instead of guessing.
 */
export const stackDefaultRegion = (serviceYml: string): string | undefined => {
  const lines = serviceYml.split(/\r?\n/);
  const start = lines.findIndex((line) => /^provider:\s*(#.*)?$/.test(line));
  if (start < 0) return undefined;
  const body = lines.slice(start + 1);
  const end = body.findIndex((line) => /^[^\s#]/.test(line));
  const block = end < 0 ? body : body.slice(0, end);
  // Only provider's own keys count: a `region:` nested deeper belongs to something else.
  const indent = block.find((line) => /^\s+[^\s#]/.test(line))?.match(/^\s+/)?.[0];
  if (!indent) return undefined;
  const value = block.map((line) => new RegExp(`^${indent}region:\\s*(.*?)\\s*(\\s#.*)?$`).exec(line)?.[1]).find((v) => v !== undefined);
  if (!value) return undefined;
  const region = /^\$\{opt:region,\s*(['"]?)([^'"\s}]+)\1\s*\}$/.exec(value)?.[2] ?? /^(['"]?)([^'"\s]+)\1$/.exec(value)?.[2];
  return region && REGION_SHAPE.test(region) ? region : undefined;
};

/**
 * The selected profile's region (AWS_PROFILE, else `default`) through the
 * SDK's own shared-config loader, so profile names (`[profile ops]`),
 * AWS_CONFIG_FILE and `~` resolve as every AWS tool resolves them.
 */
const profileRegion = async (): Promise<string | undefined> => {
  const region = await loadConfig<string | undefined>(
    {
      // The environment was read already, in the AWS CLI's order (the SDK alone skips AWS_DEFAULT_REGION).
      environmentVariableSelector: () => undefined,
      configFileSelector: NODE_REGION_CONFIG_OPTIONS.configFileSelector,
      // Not the SDK's default: that asks the EC2 instance metadata service, which an operator's machine lacks.
      default: () => undefined,
    },
    // The config file, where `aws configure` writes the region, wins over the credentials file.
    { preferredFile: 'config', ignoreCache: true },
  )();
  return given(region);
};

/**
 * The region as the AWS CLI picks it: the --region flag, AWS_REGION,
 * AWS_DEFAULT_REGION, the profile's region; then, where the AWS CLI would give
 * up, the region the stack deploys to by default.
 */
export const resolveRegion = async (flag: string | undefined, serviceFile: string = SERVICE_FILE): Promise<ResolvedRegion> => {
  const fromFlag = given(flag);
  if (fromFlag) return { region: fromFlag, source: '--region' };
  for (const name of ['AWS_REGION', 'AWS_DEFAULT_REGION']) {
    const fromEnv = given(process.env[name]);
    if (fromEnv) return { region: fromEnv, source: name };
  }
  const fromProfile = await profileRegion();
  if (fromProfile) return { region: fromProfile, source: `AWS profile ${getProfileName({})}` };
  const fromStack = fs.existsSync(serviceFile) ? stackDefaultRegion(fs.readFileSync(serviceFile, 'utf8')) : undefined;
  if (fromStack) return { region: fromStack, source: `${path.basename(serviceFile)} provider.region` };
  throw new Error(
    `No AWS region: pass --region <region> or set AWS_REGION (${path.basename(serviceFile)} names no default region the CLI can read).`,
  );
};

/** One line on stderr, so `--json` output stays clean. */
export const describeRegion = (resolved: ResolvedRegion): string => `Using region ${resolved.region} (from ${resolved.source})`;
