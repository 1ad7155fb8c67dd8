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

/**
 * A lone UTF-16 surrogate. With the `u` flag a well-formed pair is one code
 * point and never matches, so this is `!String.prototype.isWellFormed()`,
 * which the ES2023 lib we compile against does not declare.
 */
const LONE_SURROGATE = /\p{Surrogate}/u;
const LONE_SURROGATES = /\p{Surrogate}/gu;

/** Enough to name the fields; a body made of lone surrogates does not earn a long answer. */
const MAX_REPORTED = 20;

const ILL_FORMED = 'must be well-formed Unicode (it contains a lone UTF-16 surrogate)';
const ILL_FORMED_KEY = `the field name ${ILL_FORMED}`;

type Pending = { value: unknown; path: string; key?: string };

const childPath = (path: string, segment: string) => {
  // The path is echoed back in JSON, so a bad key is shown with U+FFFD in place of its lone surrogates.
  const shown = segment.replace(LONE_SURROGATES, '\ufffd');
  return path ? `${path}.${shown}` : shown;
};

/**
 * Refuses any string that is not well-formed Unicode (SPEC §3): values and
 * object keys at any depth. JSON.parse turns a `"\ud800"` escape into a lone
 * surrogate, zod lets it through, and then DynamoDB refuses it (a 500) or
 * stores it, and `encodeURIComponent` throws on it. Walked with an explicit
 * stack, in document order: a 16 KiB body can nest 8000 arrays deep.
 */
export const assertWellFormed = (value: unknown, what: string): void => {
  const errors: FieldError[] = [];
  const pending: Pending[] = [{ value, path: '' }];
  for (let next = pending.pop(); next && errors.length < MAX_REPORTED; next = pending.pop()) {
    const { value: current, path, key } = next;
    if (key !== undefined && LONE_SURROGATE.test(key)) errors.push({ path, message: ILL_FORMED_KEY });
    if (typeof current === 'string') {
      if (LONE_SURROGATE.test(current)) errors.push({ path: path || '(root)', message: ILL_FORMED });
    } else if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i--) pending.push({ value: current[i], path: childPath(path, String(i)) });
    } else if (typeof current === 'object' && current !== null) {
      const entries = Object.entries(current);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [k, v] = entries[i] as [string, unknown];
        pending.push({ value: v, path: childPath(path, k), key: k });
      }
    }
  }
  if (errors.length > 0) {
    throw new ValidationError(
      `The ${what} must be well-formed Unicode: it contains a lone UTF-16 surrogate.`,
      errors.slice(0, MAX_REPORTED),
    );
  }
};

/** Parses one request input with its schema, after refusing ill-formed strings the schema would let through. */
export const parseWith = <S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> => {
  assertWellFormed(value, what);
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ValidationError(`The ${what} is invalid.`, fieldErrors(parsed.error));
  return parsed.data;
};

const NOT_AN_OBJECT = 'The request body must be a JSON object.';

const declaresContent = (event: APIGatewayProxyEventV2): boolean => Number(event.headers?.['content-length'] ?? 0) > 0;

/** The JSON body: only `application/json`, at most 16 KiB, parsed once, a JSON object; no body reads as `{}`. */
export const readJsonBody = (event: APIGatewayProxyEventV2): unknown => {
  // Typed as a string, and API Gateway (and the patched local layer) gives a string or nothing; an
  // unpatched serverless-offline hands a parsed falsy body (`false`, `0`, `null`) over as that
  // value, so anything else is refused rather than trusted.
  const body: unknown = event.body;
  // No body at all is an empty object: the schema then says which fields are missing. A null body
  // is "no body" only when none was sent; otherwise it is a JSON `null` parsed on the way in.
  if (body === undefined || body === '' || (body === null && !declaresContent(event))) return {};
  const contentType = (event.headers?.['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (contentType !== 'application/json') {
    throw new ValidationError('The request body must be application/json.');
  }
  if (typeof body !== 'string') throw new ValidationError(NOT_AN_OBJECT);
  const text = event.isBase64Encoded ? Buffer.from(body, 'base64').toString('utf8') : body;
  if (Buffer.byteLength(text, 'utf8') > MAX_BODY_BYTES) {
    throw new ValidationError(`The request body must be at most ${MAX_BODY_BYTES} bytes.`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ValidationError('The request body is not valid JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new ValidationError(NOT_AN_OBJECT);
  return parsed;
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
  // Stored in audit events: cutting at 256 code units can split a surrogate pair, so the cut is kept well-formed.
  const userAgent = event.headers?.['user-agent']?.slice(0, 256).replace(LONE_SURROGATES, '\ufffd');
  const meta: { ip?: string; userAgent?: string } = {};
  if (ip) meta.ip = ip;
  if (userAgent) meta.userAgent = userAgent;
  return meta;
};
