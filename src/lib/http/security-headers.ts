/** Sent with every API response: an API answers JSON, never a page to frame, sniff or cache. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'cache-control': 'no-store',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'strict-transport-security': 'max-age=63072000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

/**
 * Every response carries the request's correlation id (API Gateway's request
 * id; in the logs `correlation_id`), so a client can report it and a team can
 * follow that one request through the logs.
 */
export const CORRELATION_ID_HEADER = 'x-correlation-id';

/** What a browser script may read of a response besides the safe-listed headers (serverless.yml `exposedResponseHeaders` says the same to API Gateway). */
export const EXPOSED_HEADERS: readonly string[] = ['www-authenticate', CORRELATION_ID_HEADER];
const EXPOSE_HEADERS_VALUE = EXPOSED_HEADERS.join(', ');

/** CORS for browsers: an allowed origin is echoed back, any other gets no CORS headers. */
export const corsHeaders = (origin: string | undefined, allowed: readonly string[]): Record<string, string> => {
  if (!origin || !(allowed.includes('*') || allowed.includes(origin))) return { vary: 'origin' };
  return {
    'access-control-allow-origin': origin,
    'access-control-allow-credentials': 'false',
    'access-control-expose-headers': EXPOSE_HEADERS_VALUE,
    vary: 'origin',
  };
};
