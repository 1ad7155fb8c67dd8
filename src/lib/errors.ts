/**
 * The one error hierarchy. Domain code throws these; src/lib/http maps them
 * to problem+json in one place. `expose` says whether `detail` may reach the
 * client; anything that is not an AppError is a fault and is reported as a
 * bare 500 with no detail.
 */
export type FieldError = { path: string; message: string };

export abstract class AppError extends Error {
  abstract readonly status: number;
  abstract readonly title: string;
  readonly expose: boolean = true;

  constructor(readonly detail: string) {
    super(detail);
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

  constructor() {
    // Deliberately the same for every cause: no hint for an attacker.
    super('A valid access token is required.');
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

export class ConflictError extends AppError {
  readonly status = 409;
  readonly title = 'Conflict';
  protected readonly slug = 'conflict';
}
