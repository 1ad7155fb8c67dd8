import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type * as z from 'zod';

export type HttpResult = APIGatewayProxyStructuredResultV2 & { statusCode: number };

/** Only a type: which body schema a reply was built with, so a route can require the one it declares. */
declare const bodySchema: unique symbol;

/** A response built through its schema (`ok`, `created`, `noContent`). */
export type Reply<Status extends number, Body extends z.ZodType | null> = HttpResult & {
  readonly statusCode: Status;
  readonly [bodySchema]?: Body;
};

/** A handler answered something its own schema refuses: a bug, answered 500 and logged with the schema's issues. */
export class ResponseShapeError extends Error {
  constructor(status: number, cause: z.ZodError) {
    super(`The ${status} response does not match its schema`, { cause });
    this.name = 'ResponseShapeError';
  }
}

export const json = (statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResult => ({
  statusCode,
  headers: Object.assign({ 'content-type': 'application/json' }, headers),
  body: JSON.stringify(body),
});

/**
 * Parses the body with the response's schema before it leaves: fields the
 * schema does not declare are dropped (an internal attribute never leaks),
 * and a value the schema refuses is a 500, not a broken contract.
 */
const reply = <Status extends number, S extends z.ZodType>(
  statusCode: Status,
  schema: S,
  value: z.input<S>,
  headers?: Record<string, string>,
): Reply<Status, S> => {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ResponseShapeError(statusCode, parsed.error);
  return json(statusCode, parsed.data, headers) as Reply<Status, S>;
};

export const ok = <S extends z.ZodType>(schema: S, value: z.input<S>, headers?: Record<string, string>) =>
  reply(200, schema, value, headers);
export const created = <S extends z.ZodType>(schema: S, value: z.input<S>) => reply(201, schema, value);
export const noContent = (): Reply<204, null> => ({ statusCode: 204, headers: {}, body: '' });
