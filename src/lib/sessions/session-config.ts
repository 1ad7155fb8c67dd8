import * as z from 'zod';
import { ENV } from '../env-names';
import { readConfig } from '../read-config';

/** How long a session can live: its markers must outlive every token of it (the refresh token's lifetime). */
export const sessionConfig = readConfig(
  'sessions',
  z
    .object({ [ENV.refreshTokenDays]: z.coerce.number().int().min(1).max(3650).default(30) })
    .transform((c) => ({ refreshTokenDays: c[ENV.refreshTokenDays] })),
);
