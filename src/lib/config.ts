import * as z from 'zod';
import { ENV, emptyAsUndefined } from './env-names';

/**
 * Reads one concern's configuration from the environment with its zod schema
 * (which also shapes it), once, at module load: a missing or malformed value
 * fails the cold start with the concern's name, never a request.
 */
export const readConfig = <S extends z.ZodType>(label: string, schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> => {
  const parsed = schema.safeParse(env);
  if (!parsed.success) throw new Error(`Invalid ${label} configuration: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
};

/**
 * The configuration every function shares, read and validated once when the
 * module loads: a missing or malformed value fails the cold start, not a request.
 */
const optionalUrl = z.preprocess(emptyAsUndefined, z.url().optional());

const schema = z.object({
  [ENV.stage]: z.string().min(1).default('local'),
  AWS_REGION: z.string().min(1).default('us-east-1'),
  [ENV.tableName]: z.string().min(1),
  [ENV.dynamodbEndpoint]: optionalUrl,
  [ENV.auditRetentionDays]: z.coerce.number().int().min(1).max(3650).default(365),
  [ENV.inviteTtlDays]: z.coerce.number().int().min(1).max(30).default(7),
  [ENV.invitesPerHour]: z.coerce.number().int().min(1).max(100_000).default(100),
});

export type AppConfig = {
  stage: string;
  region: string;
  tableName: string;
  dynamodbEndpoint: string | undefined;
  auditRetentionDays: number;
  inviteTtlDays: number;
  /** Invites one tenant may create in a clock hour (mail abuse). */
  invitesPerHour: number;
};

export const parseAppConfig = (env: NodeJS.ProcessEnv): AppConfig => {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new Error(`Invalid configuration: ${z.prettifyError(parsed.error)}`);
  }
  const c = parsed.data;
  return {
    stage: c[ENV.stage],
    region: c.AWS_REGION,
    tableName: c[ENV.tableName],
    dynamodbEndpoint: c[ENV.dynamodbEndpoint],
    auditRetentionDays: c[ENV.auditRetentionDays],
    inviteTtlDays: c[ENV.inviteTtlDays],
    invitesPerHour: c[ENV.invitesPerHour],
  };
};

export const config: AppConfig = parseAppConfig(process.env);
