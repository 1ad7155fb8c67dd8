import { Logger } from '@aws-lambda-powertools/logger';
import * as z from 'zod';
import { ENV } from './env-names';
import { optional, readConfig } from './read-config';

const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL', 'SILENT'] as const;

/**
 * The stage's `logLevel` (serverless.yml → POWERTOOLS_LOG_LEVEL), default INFO.
 * Checked like every other setting: Powertools alone would take a typo for
 * INFO without a word; here it fails the cold start.
 */
export const parseLogLevel = (env: NodeJS.ProcessEnv) =>
  readConfig(
    'logging',
    z
      .object({ [ENV.logLevel]: optional(z.string().toUpperCase().pipe(z.enum(LOG_LEVELS))).default('INFO') })
      .transform((c) => c[ENV.logLevel]),
    env,
  );

/**
 * One structured JSON logger per container. Never log a token, a password, a
 * code, a request body or a mail: the integration run's logs are scanned for
 * them (test/integration/logs/log-hygiene.test.ts).
 */
export const logger = new Logger({ serviceName: 'tenantgate', logLevel: parseLogLevel(process.env) });
