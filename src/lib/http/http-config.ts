import * as z from 'zod';
import { ENV } from '../env-names';
import { readConfig } from '../read-config';

/** The browser origins CORS allows (comma-separated; `*` on the local stack only). */
export const httpConfig = readConfig(
  'HTTP',
  z
    .object({
      [ENV.corsAllowedOrigins]: z
        .string()
        .default('')
        .transform((s) =>
          s
            .split(',')
            .map((o) => o.trim())
            .filter(Boolean),
        ),
    })
    .transform((c) => ({ corsAllowedOrigins: c[ENV.corsAllowedOrigins] })),
);
