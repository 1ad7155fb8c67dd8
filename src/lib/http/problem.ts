import { isConcurrentChange, isTransientFault } from '../aws-faults';
import {
  AppError,
  CONCURRENT_CHANGE,
  ConflictError,
  RetryLaterError,
  ServiceUnavailableError,
  UnauthorizedError,
  ValidationError,
} from '../errors';
import { logger } from '../logger';
import type { HttpResult } from './response';
import type { Problem } from './schemas';

const PROBLEM = 'application/problem+json';

/** What a refused token's logs say: the library's reason, never anything the client sees. */
const causeOf = (err: Error): string | undefined =>
  err.cause instanceof Error ? `${err.cause.name}: ${err.cause.message}` : err.cause === undefined ? undefined : String(err.cause);

/**
 * The one place that turns errors into HTTP: RFC 9457 problem+json. An
 * AppError shows its title and detail; a transient fault of a store (throttled,
 * unavailable, timed out) is a 503 with Retry-After, a write that met a
 * concurrent transaction a 409; anything else is a fault,
 * logged in full and answered with a bare 500 that leaks no message, stack or id.
 */
export const problemResponse = (raw: unknown): HttpResult => {
  const err =
    raw instanceof AppError
      ? raw
      : isTransientFault(raw)
        ? new ServiceUnavailableError(raw)
        : isConcurrentChange(raw)
          ? new ConflictError(CONCURRENT_CHANGE, { cause: raw })
          : raw;
  if (err instanceof AppError) {
    const body: Problem = {
      type: err.type,
      title: err.title,
      status: err.status,
      detail: err.expose ? err.detail : err.title,
    };
    if (err instanceof ValidationError && err.errors.length > 0) body.errors = err.errors;
    const headers: Record<string, string> = { 'content-type': PROBLEM };
    if (err instanceof UnauthorizedError) {
      headers['www-authenticate'] = 'Bearer error="invalid_token"';
      logger.info('Token refused', { reason: causeOf(err) ?? 'no token' });
    }
    if (err instanceof RetryLaterError) headers['retry-after'] = String(err.retryAfterSeconds);
    if (err instanceof ServiceUnavailableError) logger.warn('A store is unavailable', { error: err.cause as Error });
    return { statusCode: err.status, headers, body: JSON.stringify(body) };
  }
  logger.error('Unhandled error', { error: err as Error });
  return {
    statusCode: 500,
    headers: { 'content-type': PROBLEM },
    body: JSON.stringify({
      type: 'about:blank',
      title: 'Internal Server Error',
      status: 500,
      detail: 'An unexpected error occurred. Please try again later.',
    } satisfies Problem),
  };
};
