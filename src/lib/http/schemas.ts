import * as z from 'zod';

/** Path ids are opaque: anything of sane length, looked up within the caller's tenant (unknown → 404). */
export const pathId = z.string().min(1).max(128);

export const tenantPath = z.object({ tenantId: pathId });

/** An instant as the API writes it: ISO 8601 in UTC, as `Date#toISOString` gives it. */
export const timestamp = z.iso.datetime().meta({ examples: ['2026-03-01T09:30:00.000Z'] });

/**
 * One page of a list (SPEC §3). `nextCursor` is opaque, bound to the caller's
 * tenant and tamper-proof; null on the last page. `id` names the page in the
 * OpenAPI document, so a client gets a type per list.
 */
export const pageOf = <T extends z.ZodType>(item: T, id: string) =>
  z
    .object({
      items: z.array(item),
      nextCursor: z.string().nullable().meta({ description: 'Pass as `?cursor=` for the next page; null on the last page.' }),
    })
    .meta({ id });

export const fieldErrorSchema = z.object({ path: z.string(), message: z.string() }).meta({ id: 'FieldError' });

/** Every error the API answers (RFC 9457 problem+json); `errors` only for invalid input. */
export const problemSchema = z
  .object({
    type: z.string().meta({ description: 'A URI naming the kind of problem.' }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    errors: z.array(fieldErrorSchema).optional().meta({ description: 'For invalid input: which field, and what is wrong with it.' }),
  })
  .meta({
    id: 'Problem',
    description: 'An error, as RFC 9457 problem details. Never a stack trace, an SDK message or an internal id.',
    examples: [
      {
        type: 'https://tenantgate.dev/problems/invalid-request',
        title: 'Invalid request',
        status: 400,
        detail: 'The request body is invalid.',
        errors: [{ path: 'email', message: 'must be an email address' }],
      },
    ],
  });

export type Problem = z.infer<typeof problemSchema>;
