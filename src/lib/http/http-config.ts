import * as z from 'zod';
import { ENV } from '../env-names';

const schema = z.object({
  [ENV.corsAllowedOrigins]: z
    .string()
    .default('')
    .transform((s) =>
      s
        .split(',')
        .map((o) => o.trim())
        .filter(Boolean),
    ),
});

export const httpConfig = (() => {
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) throw new Error(`Invalid HTTP configuration: ${z.prettifyError(parsed.error)}`);
  return { corsAllowedOrigins: parsed.data[ENV.corsAllowedOrigins] };
})();
