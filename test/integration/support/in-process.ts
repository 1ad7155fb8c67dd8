import { randomBytes } from 'node:crypto';
import { stack } from './stack';

/**
 * Points the handler and trigger modules at the test stack when a suite runs
 * them in this process (to inject faults into their AWS clients), as
 * scripts/bench/lib/local-stack.ts `pointSrcAtStack` does for the benchmarks:
 * src/lib reads these once, at module load, so call it before importing them.
 */
export const pointHandlersAtStack = (overrides: Record<string, string> = {}): void => {
  Object.assign(process.env, {
    USER_POOL_ID: stack.cognito.userPoolId,
    APP_CLIENT_IDS: stack.cognito.clientId,
    LOCAL_TOKEN_ISSUER: `${stack.cognito.endpoint}/${stack.cognito.userPoolId}`,
    COGNITO_ENDPOINT: stack.cognito.endpoint,
    LOCAL_CURSOR_SECRET: randomBytes(32).toString('base64url'),
    CORS_ALLOWED_ORIGINS: '*',
    BUCKET_NAME: stack.s3.bucket,
    S3_ENDPOINT: stack.s3.endpoint,
    ...overrides,
  });
};
