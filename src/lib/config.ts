import * as z from 'zod';
import { ENV, emptyAsUndefined } from './env-names';

/**
 * Reads one concern's configuration from the environment with its zod schema
 * (which also shapes it), once, at module load: a missing or malformed value
 * fails the cold start with the concern's name, never a request. Every
 * concern (app, auth, HTTP, files, cursor, mail, sessions, Cognito) reads
 * its settings this way, in the module that owns them.
 */
export const readConfig = <S extends z.ZodType>(label: string, schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> => {
  const parsed = schema.safeParse(env);
  if (!parsed.success) throw new Error(`Invalid ${label} configuration: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
};

/** `''` (serverless.yml's "unset" on deployed stages) reads as undefined. */
export const optional = <S extends z.ZodType>(schema: S) => z.preprocess(emptyAsUndefined, schema.optional());

const schema = z
  .object({
    [ENV.stage]: z.string().min(1).default('local'),
    AWS_REGION: z.string().min(1).default('us-east-1'),
    [ENV.tableName]: z.string().min(1),
    [ENV.dynamodbEndpoint]: optional(z.url()),
    [ENV.auditRetentionDays]: z.coerce.number().int().min(1).max(3650).default(365),
    [ENV.inviteTtlDays]: z.coerce.number().int().min(1).max(30).default(7),
    [ENV.invitesPerHour]: z.coerce.number().int().min(1).max(100_000).default(100),
  })
  .transform((c) => ({
    stage: c[ENV.stage],
    region: c.AWS_REGION,
    tableName: c[ENV.tableName],
    dynamodbEndpoint: c[ENV.dynamodbEndpoint],
    auditRetentionDays: c[ENV.auditRetentionDays],
    inviteTtlDays: c[ENV.inviteTtlDays],
    /** Invites one tenant may create in a clock hour (mail abuse). */
    invitesPerHour: c[ENV.invitesPerHour],
  }));

/** The configuration every function shares. */
export type AppConfig = z.infer<typeof schema>;

export const parseAppConfig = (env: NodeJS.ProcessEnv): AppConfig => readConfig('app', schema, env);

export const config: AppConfig = parseAppConfig(process.env);
