import path from 'node:path';
import type { StackInfo, StackPorts } from '../../local/stack';
import { startTemporaryStack } from '../../local/temporary-stack';

export type BenchStack = { info: StackInfo; ports: StackPorts; stateDir: string };

/** The local stack on free ports in a fresh state directory, as the integration tests start it. */
export const startBenchStack = (): Promise<BenchStack & { stop: () => Promise<void> }> => startTemporaryStack('bench-stack');

/** The stack the orchestrator started for this run (TG_BENCH_STACK). */
export const benchStack = (): BenchStack => {
  const raw = process.env.TG_BENCH_STACK;
  if (!raw) throw new Error('This part needs the local stack: run it through `npm run bench`.');
  return JSON.parse(raw) as BenchStack;
};

/**
 * Points src/lib at the stack, as serverless-offline configures the functions
 * (stage `local`); must run before anything under src/ is imported.
 */
export const pointSrcAtStack = (stack: BenchStack, cursorSecret: string, defaults: Record<string, unknown> = {}): void => {
  const { info } = stack;
  Object.assign(process.env, {
    STAGE: 'local',
    TABLE_NAME: 'tenantgate-local',
    AWS_REGION: info.region,
    DYNAMODB_ENDPOINT: info.dynamodb.endpoint,
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    USER_POOL_ID: info.cognito.userPoolId,
    APP_CLIENT_IDS: info.cognito.clientId,
    LOCAL_TOKEN_ISSUER: `${info.cognito.endpoint}/${info.cognito.userPoolId}`,
    COGNITO_ENDPOINT: info.cognito.endpoint,
    IS_OFFLINE: 'true',
    LOCAL_CURSOR_SECRET: cursorSecret,
    LOCAL_MAIL_DIR: path.join(stack.stateDir, 'mail'),
    CORS_ALLOWED_ORIGINS: '*',
    APP_URL: 'http://localhost:5173',
    POWERTOOLS_LOG_LEVEL: 'ERROR',
    BUCKET_NAME: info.s3.bucket,
    S3_ENDPOINT: info.s3.endpoint,
  });
  // The rest (file limits and the like) as serverless.yml sets them for every stage.
  for (const [key, value] of Object.entries(defaults)) {
    if (process.env[key] === undefined && (typeof value === 'string' || typeof value === 'number')) process.env[key] = String(value);
  }
};
