import { AppError, UnauthorizedError, ValidationError } from '../errors';
import { logger } from '../logger';
import type { HttpResult } from './response';

/**
 * The one place that turns errors into HTTP: RFC 9457 problem+json. An
 * AppError shows its title and detail; anything else is a fault, logged in
 * full and answered with a bare 500 that leaks no message, stack or id.
 */
export const problemResponse = (err: unknown): HttpResult => {
  if (err instanceof AppError) {
    const body: Record<string, unknown> = {
      type: err.type,
      title: err.title,
      status: err.status,
      detail: err.expose ? err.detail : err.title,
    };
    if (err instanceof ValidationError && err.errors.length > 0) body.errors = err.errors;
    const headers: Record<string, string> = { 'content-type': 'application/problem+json' };
    if (err instanceof UnauthorizedError) headers['www-authenticate'] = 'Bearer error="invalid_token"';
    return { statusCode: err.status, headers, body: JSON.stringify(body) };
  }
  logger.error('Unhandled error', { error: err as Error });
  return {
    statusCode: 500,
    headers: { 'content-type': 'application/problem+json' },
    body: JSON.stringify({
      type: 'about:blank',
      title: 'Internal Server Error',
      status: 500,
      detail: 'An unexpected error occurred. Please try again later.',
    }),
  };
};
