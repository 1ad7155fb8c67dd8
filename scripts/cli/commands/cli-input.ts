import type { z } from 'zod';
import { AppError } from '../../../src/lib/errors';

/** Bad options: the CLI prints the problems with its usage and exits 2. */
export class CliInputError extends Error {
  override name = 'CliInputError';
}

/** Options checked by the same zod schemas the API uses, one line per problem (`--owner: must be …`). */
export const parseOptions = <S extends z.ZodType>(schema: S, values: unknown): z.infer<S> => {
  const parsed = schema.safeParse(values);
  if (!parsed.success) throw new CliInputError(parsed.error.issues.map((i) => `--${String(i.path[0] ?? '')}: ${i.message}`).join('\n'));
  return parsed.data;
};

/** Domain refusals (409 last owner, 404 unknown) read as plain sentences on the terminal. */
export const asOperatorError = (err: unknown): never => {
  if (err instanceof AppError) throw new Error(err.detail);
  throw err;
};
