import * as z from 'zod';

/** `?limit=` (1–100, default 25) and `?cursor=`; nothing else is accepted on a list. */
export const listQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().min(1).max(2048).optional(),
});

export type ListQuery = z.infer<typeof listQuerySchema>;

export type Page<T> = { items: T[]; nextCursor: string | null };
