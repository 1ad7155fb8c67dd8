import { z } from 'zod';

export type Tenant = { tenantId: string; name: string; createdAt: string };

export const tenantNameSchema = z
  .string()
  .trim()
  .min(1, { message: 'must not be empty' })
  .max(100, { message: 'must be at most 100 characters' })
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), { message: 'must not contain control characters' });
