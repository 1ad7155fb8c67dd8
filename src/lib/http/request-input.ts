import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { z } from 'zod';
import { type FieldError, ValidationError } from '../errors';

export const MAX_BODY_BYTES = 16 * 1024;

const fieldErrors = (error: z.ZodError): FieldError[] =>
  error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(root)',
    message:
      issue.code === 'unrecognized_keys' ? `unknown field${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.join(', ')}` : issue.message,
  }));

export const parseWith = <S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> => {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ValidationError(`The ${what} is invalid.`, fieldErrors(parsed.error));
  return parsed.data;
};

/** The JSON body: only `application/json`, at most 16 KiB, parsed once; no body reads as `{}`. */
export const readJsonBody = (event: APIGatewayProxyEventV2): unknown => {
  // No body at all is an empty object: the schema then says which fields are missing.
  if (event.body === undefined || event.body === null || event.body === '') return {};
  const contentType = (event.headers?.['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (contentType !== 'application/json') {
    throw new ValidationError('The request body must be application/json.');
  }
  const raw = event.body ?? '';
  const text = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  if (Buffer.byteLength(text, 'utf8') > MAX_BODY_BYTES) {
    throw new ValidationError(`The request body must be at most ${MAX_BODY_BYTES} bytes.`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new ValidationError('The request body is not valid JSON.');
  }
};

export const bearerToken = (event: APIGatewayProxyEventV2): string | undefined => {
  const header = event.headers?.authorization;
  if (!header) return undefined;
  // The scheme is case-insensitive (RFC 9110 §11.1); the token is not.
  const match = /^Bearer ([A-Za-z0-9._~+/=-]+)$/i.exec(header.trim());
  return match?.[1];
};

export const clientMeta = (event: APIGatewayProxyEventV2): { ip?: string; userAgent?: string } => {
  const ip = event.requestContext?.http?.sourceIp;
  const userAgent = event.headers?.['user-agent']?.slice(0, 256);
  const meta: { ip?: string; userAgent?: string } = {};
  if (ip) meta.ip = ip;
  if (userAgent) meta.userAgent = userAgent;
  return meta;
};
