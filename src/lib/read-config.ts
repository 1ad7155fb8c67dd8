import * as z from 'zod';
import { emptyAsUndefined } from './env-names';

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
