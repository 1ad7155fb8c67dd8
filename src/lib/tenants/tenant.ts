import * as z from 'zod';

export type Tenant = { tenantId: string; name: string; createdAt: string };

/** Control characters (C0, DEL, C1): they break logs, CSV exports and terminals. */
export const isControlCharacter = (ch: string): boolean => /\p{Cc}/u.test(ch);

export const tenantNameSchema = z
  .string()
  .trim()
  .min(1, { message: 'must not be empty' })
  .max(100, { message: 'must be at most 100 characters' })
  .refine((s) => ![...s].some(isControlCharacter), { message: 'must not contain control characters' });
