import { describe, expect, it, vi } from 'vitest';
import { AppError, ConflictError, ForbiddenError, NotFoundError, UnauthorizedError, ValidationError } from '../../../../src/lib/errors';
import { problemResponse } from '../../../../src/lib/http/problem';
import { logger } from '../../../../src/lib/logger';

const bodyOf = (result: { body?: string }) => JSON.parse(result.body ?? 'null') as Record<string, unknown>;

class HiddenDetailError extends AppError {
  readonly status = 409;
  readonly title = 'Conflict';
  protected readonly slug = 'conflict';
  override readonly expose = false;
}

describe('problemResponse', () => {
  it.each([
    [new ValidationError('The request body is invalid.'), 400, 'invalid-request', 'Invalid request'],
    [new UnauthorizedError(), 401, 'unauthorized', 'Unauthorized'],
    [new ForbiddenError('Your role does not allow this action.'), 403, 'forbidden', 'Forbidden'],
    [new NotFoundError('No such file.'), 404, 'not-found', 'Not found'],
    [new ConflictError('The last owner cannot be removed.'), 409, 'conflict', 'Conflict'],
  ] as const)('answers %s as problem+json with its status, type, title and detail', (error, status, slug, title) => {
    // Act
    const result = problemResponse(error);

    // Assess
    expect(result.statusCode).toBe(status);
    expect(result.headers).toMatchObject({ 'content-type': 'application/problem+json' });
    expect(bodyOf(result)).toEqual({ type: `https://tenantgate.dev/problems/${slug}`, title, status, detail: error.detail });
  });

  it('lists the field errors of a ValidationError', () => {
    // Prepare
    const errors = [
      { path: 'name', message: 'must not be empty' },
      { path: '(root)', message: 'unknown field: extra' },
    ];

    // Act
    const result = problemResponse(new ValidationError('The request body is invalid.', errors));

    // Assess
    expect(bodyOf(result).errors).toEqual(errors);
  });

  it('adds WWW-Authenticate with invalid_token to a 401, and only to a 401', () => {
    // Act
    const unauthorized = problemResponse(new UnauthorizedError());
    const forbidden = problemResponse(new ForbiddenError('no'));

    // Assess
    expect(unauthorized.headers).toMatchObject({ 'www-authenticate': 'Bearer error="invalid_token"' });
    expect(forbidden.headers).not.toHaveProperty('www-authenticate');
  });

  it('gives a 401 the same detail whatever the cause', () => {
    expect(bodyOf(problemResponse(new UnauthorizedError())).detail).toBe('A valid access token is required.');
  });

  it('shows the title instead of a detail that must not be exposed', () => {
    // Act
    const result = problemResponse(new HiddenDetailError('row 42 of internal table xyz'));

    // Assess
    expect(bodyOf(result).detail).toBe('Conflict');
    expect(result.body).not.toContain('xyz');
  });

  it('answers an unknown error with a bare 500 that leaks no message, name or stack, and logs it', () => {
    // Prepare
    const logged = vi.spyOn(logger, 'error');
    const fault = new TypeError('Cannot read properties of undefined (reading "pk") at arn:aws:dynamodb:eu-west-1:123:table/secret');

    // Act
    const result = problemResponse(fault);

    // Assess
    expect(result.statusCode).toBe(500);
    expect(result.headers).toEqual({ 'content-type': 'application/problem+json' });
    expect(bodyOf(result)).toEqual({
      type: 'about:blank',
      title: 'Internal Server Error',
      status: 500,
      detail: 'An unexpected error occurred. Please try again later.',
    });
    for (const leak of ['Cannot read', 'arn:aws', 'TypeError', 'secret', 'at ']) expect(result.body).not.toContain(leak);
    expect(logged).toHaveBeenCalledWith('Unhandled error', { error: fault });
    logged.mockRestore();
  });

  it.each([['a thrown string'], [undefined], [{ statusCode: 403, message: 'looks like an http error' }]])(
    'answers the non-AppError %j with a 500',
    (thrown) => {
      expect(problemResponse(thrown).statusCode).toBe(500);
    },
  );
});
