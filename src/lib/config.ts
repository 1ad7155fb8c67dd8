import * as z from 'zod';
import { ENV } from './env-names';
import { optional, readConfig } from './read-config';

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
