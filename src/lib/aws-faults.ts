/**
 * Faults of an AWS service that say "not now" rather than "never": throttling,
 * a service that is unavailable or failed internally, a timeout or a dropped
 * connection. The SDK has already retried them (maxAttempts); what is left is
 * answered 503 with Retry-After (src/lib/http/problem.ts), never 500.
 */
const TRANSIENT_NAMES = new Set([
  // DynamoDB
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'TransactionInProgressException',
  // S3, Cognito, Secrets Manager, SES
  'SlowDown',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'InternalError',
  'InternalErrorException',
  'TooManyRequestsException',
  'LimitExceededException',
  // The SDK's own: a request or connection that timed out
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
]);

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED']);

/**
 * DynamoDB cancels a whole transaction when one of its items is throttled, or
 * (for a read) when a write to one of its items is under way. A write's own
 * conflict never gets here: the transaction helper answers it 409.
 */
const TRANSIENT_CANCELLATIONS = new Set(['ThrottlingError', 'ProvisionedThroughputExceeded', 'TransactionConflict']);

export const isTransientFault = (err: unknown): boolean => {
  if (!(err instanceof Error)) return false;
  // By name, not instanceof: the HTTP layer (even GET /health) should not load the DynamoDB client for this.
  if (err.name === 'TransactionCanceledException') {
    const reasons = (err as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
    const codes = reasons.map((r) => r.Code).filter((c) => c && c !== 'None');
    return codes.length > 0 && codes.every((c) => TRANSIENT_CANCELLATIONS.has(c as string));
  }
  if (TRANSIENT_NAMES.has(err.name)) return true;
  const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  if (status !== undefined && (status === 429 || status >= 500)) return true;
  const code = (err as { code?: string }).code;
  return code !== undefined && NETWORK_CODES.has(code);
};

/**
 * A single-item write that met a transaction changing the same item
 * (DynamoDB does not retry it): a concurrent change, answered 409 like a
 * transaction's own conflict.
 */
export const isConcurrentChange = (err: unknown): boolean => err instanceof Error && err.name === 'TransactionConflictException';
