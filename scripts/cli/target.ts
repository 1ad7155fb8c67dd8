import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { type ResolvedRegion, resolveRegion } from './region';

/** What serverless.yml gives a stage without a web origin: a placeholder that fails closed. */
const NO_WEB_ORIGIN = 'https://app.tenantgate.invalid';

/** The stage's web origin from stages.yml, as serverless.yml reads it for the deployed functions' invite links. */
export const stageWebOrigin = (stage: string, stagesFile = path.resolve(import.meta.dirname, '../../stages.yml')): string => {
  const stages = (parse(fs.readFileSync(stagesFile, 'utf8')) ?? {}) as Record<string, { webOrigin?: unknown } | null>;
  const origin = stages[stage]?.webOrigin;
  return typeof origin === 'string' && origin !== '' ? origin : NO_WEB_ORIGIN;
};

/** `regionFlag` is --region as given; the region used is resolved from it (scripts/cli/region.ts). */
export type Target = { kind: 'local'; stackFile: string } | { kind: 'stage'; stage: string; regionFlag: string | undefined };

/**
 * Points the shared config at the chosen stack *before* any src/lib module is
 * loaded (config is read once at module load): the local stack from
 * .local/stack.json, or a deployed stage with the caller's AWS credentials.
 */
export const useTarget = async (target: Target): Promise<{ tableName: string; region: ResolvedRegion }> => {
  // The CLI prints its own results and errors; the functions' JSON logs would only mix into them.
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  // The operator's Node may be older than the Lambda runtime; the SDK works on it all the same.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  if (target.kind === 'stage') {
    const tableName = `tenantgate-${target.stage}`;
    const region = await resolveRegion(target.regionFlag);
    process.env.STAGE = target.stage;
    process.env.TABLE_NAME = tableName;
    // Every client the run creates reads AWS_REGION: src/lib/config.ts (the table client) and the SDK's own
    // default for SES and the rest. Without it config.ts falls back to us-east-1, which AWS_DEFAULT_REGION
    // or the profile's region never reached.
    process.env.AWS_REGION = region.region;
    // Invite links open the stage's web app, as the deployed API's do (never the local one's).
    process.env.APP_URL = stageWebOrigin(target.stage);
    // Nothing of the local stack may leak into a run against AWS.
    for (const name of ['DYNAMODB_ENDPOINT', 'LOCAL_MAIL_DIR', 'IS_OFFLINE']) delete process.env[name];
    return { tableName, region };
  }
  if (!fs.existsSync(target.stackFile)) {
    throw new Error(
      `No local stack found (${path.relative(process.cwd(), target.stackFile)} is missing). Run \`npm start\` first, or pass --stage <name>.`,
    );
  }
  const stack = JSON.parse(fs.readFileSync(target.stackFile, 'utf8')) as {
    region: string;
    dynamodb: { endpoint: string };
    webUrl?: string;
  };
  const tableName = 'tenantgate-local';
  process.env.STAGE = 'local';
  process.env.TABLE_NAME = tableName;
  process.env.AWS_REGION = stack.region;
  process.env.DYNAMODB_ENDPOINT = stack.dynamodb.endpoint;
  process.env.AWS_ACCESS_KEY_ID = 'local';
  process.env.AWS_SECRET_ACCESS_KEY = 'local';
  // Invite emails go to the local mailbox next to stack.json, as the API's do.
  process.env.LOCAL_MAIL_DIR = path.join(path.dirname(target.stackFile), 'mail');
  // Their sign-up links open the web app where the stack serves it (TG_WEB_PORT).
  if (stack.webUrl) process.env.APP_URL = stack.webUrl;
  process.env.IS_OFFLINE = 'true';
  return { tableName, region: { region: stack.region, source: path.basename(target.stackFile) } };
};
