import { z } from 'zod';

export type Tenant = { tenantId: string; name: string; createdAt: string };

/** C0 controls and DEL: they break logs, CSV exports and terminals. */
export const isControlCharacter = (ch: string): boolean => {
  const code = ch.codePointAt(0) ?? 0;
  return code < 0x20 || code === 0x7f;
};

export const tenantNameSchema = z
  .string()
  .trim()
  .min(1, { message: 'must not be empty' })
  .max(100, { message: 'must be at most 100 characters' })
  .refine((s) => ![...s].some(isControlCharacter), { message: 'must not contain control characters' });
