/**
 * The one error hierarchy. Domain code throws these; src/lib/http maps them
 * to problem+json in one place. `expose` says whether `detail` may reach the
 * client; anything that is not an AppError is a fault: a transient one (a
 * store that throttles or is unavailable) becomes ServiceUnavailableError,
 * anything else a bare 500 with no detail. A library's reason travels as
 * `cause`, for the logs, never for the client.
 */
export type FieldError = { path: string; message: string };

export abstract class AppError extends Error {
  abstract readonly status: number;
  abstract readonly title: string;
  readonly expose: boolean = true;

  constructor(
    readonly detail: string,
    options?: ErrorOptions,
  ) {
    super(detail, options);
    this.name = new.target.name;
  }

  get type(): string {
    return `https://tenantgate.dev/problems/${this.slug}`;
  }

  protected abstract readonly slug: string;
}

export class ValidationError extends AppError {
  readonly status = 400;
  readonly title = 'Invalid request';
  protected readonly slug = 'invalid-request';

  constructor(
    detail: string,
    readonly errors: FieldError[] = [],
  ) {
    super(detail);
  }
}

export class UnauthorizedError extends AppError {
  readonly status = 401;
  readonly title = 'Unauthorized';
  protected readonly slug = 'unauthorized';

  /** `cause` says why the token was refused, for the logs only. */
  constructor(cause?: unknown) {
    // Deliberately the same for every cause: no hint for an attacker.
    super('A valid access token is required.', cause === undefined ? undefined : { cause });
  }
}

export class ForbiddenError extends AppError {
  readonly status = 403;
  readonly title = 'Forbidden';
  protected readonly slug = 'forbidden';
}

export class NotFoundError extends AppError {
  readonly status = 404;
  readonly title = 'Not found';
  protected readonly slug = 'not-found';
}

/** The detail of a 409 for a write that met a concurrent change of the same object. */
export const CONCURRENT_CHANGE = 'Someone else changed this at the same moment; nothing was changed. Please try again.';

export class ConflictError extends AppError {
  readonly status = 409;
  readonly title = 'Conflict';
  protected readonly slug = 'conflict';
}

/** Errors that tell the client when to try again (`Retry-After`, in seconds). */
export abstract class RetryLaterError extends AppError {
  constructor(
    detail: string,
    readonly retryAfterSeconds: number,
    options?: ErrorOptions,
  ) {
    super(detail, options);
  }
}

export class TooManyRequestsError extends RetryLaterError {
  readonly status = 429;
  readonly title = 'Too many requests';
  protected readonly slug = 'rate-limited';
}

export class ServiceUnavailableError extends RetryLaterError {
  readonly status = 503;
  readonly title = 'Service unavailable';
  protected readonly slug = 'unavailable';

  constructor(cause?: unknown, retryAfterSeconds = 1) {
    super('The service is briefly unavailable; please try again.', retryAfterSeconds, { cause });
  }
}
