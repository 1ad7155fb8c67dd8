import {
  InternalServerError,
  ProvisionedThroughputExceededException,
  TransactionCanceledException,
  TransactionConflictException,
} from '@aws-sdk/client-dynamodb';
import { describe, expect, it, vi } from 'vitest';
import {
  AppError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  TooManyRequestsError,
  UnauthorizedError,
  ValidationError,
} from '../../../../src/lib/errors';
import { problemResponse } from '../../../../src/lib/http/problem';
import { logger } from '../../../../src/lib/logger';

const bodyOf = (result: { body?: string }) => JSON.parse(result.body ?? 'null') as Record<string, unknown>;

class HiddenDetailError extends AppError {
  readonly status = 409;
  readonly title = 'Conflict';
  protected readonly slug = 'conflict';
  override readonly expose = false;
}

const withMeta = <E extends Error>(err: E, status: number): E => Object.assign(err, { $metadata: { httpStatusCode: status } });

describe('problemResponse for faults of a store', () => {
  it.each([
    ['DynamoDB throttling', withMeta(new ProvisionedThroughputExceededException({ message: 'x', $metadata: {} }), 400)],
    [
      'a throttled transaction',
      new TransactionCanceledException({ message: 'x', $metadata: {}, CancellationReasons: [{ Code: 'ThrottlingError' }] }),
    ],
    [
      'a read that met a write in progress',
      new TransactionCanceledException({ message: 'x', $metadata: {}, CancellationReasons: [{ Code: 'TransactionConflict' }] }),
    ],
    ['an internal error of the service', withMeta(new InternalServerError({ message: 'x', $metadata: {} }), 500)],
    ['S3 slowing down', withMeta(Object.assign(new Error('Please reduce your request rate.'), { name: 'SlowDown' }), 503)],
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8000'), { code: 'ECONNREFUSED' })],
    ['a request timeout', Object.assign(new Error('timed out'), { name: 'TimeoutError' })],
  ])('answers %s with 503 and Retry-After, leaking nothing', (_case, error) => {
    // Act
    const result = problemResponse(error);

    // Assess
    expect(result.statusCode).toBe(503);
    expect(result.headers).toMatchObject({ 'content-type': 'application/problem+json', 'retry-after': '1' });
    expect(bodyOf(result)).toEqual({
      type: 'https://tenantgate.dev/problems/unavailable',
      title: 'Service unavailable',
      status: 503,
      detail: 'The service is briefly unavailable; please try again.',
    });
  });

  it("logs why a token was refused (the library's error, kept as cause) and tells the client nothing of it", () => {
    // Prepare
    const info = vi.spyOn(logger, 'info').mockImplementation(() => {});
    const reason = Object.assign(new Error('Token expired at 2026-11-30T08:00:00.000Z'), { name: 'JwtExpiredError' });

    // Act
    const result = problemResponse(new UnauthorizedError(reason));

    // Assess
    expect(info).toHaveBeenCalledWith('Token refused', { reason: 'JwtExpiredError: Token expired at 2026-11-30T08:00:00.000Z' });
    expect(result.body).not.toContain('expired');
    expect(bodyOf(result).detail).toBe('A valid access token is required.');
    info.mockRestore();
  });

  it('answers a single write that met a concurrent transaction with 409', () => {
    const result = problemResponse(new TransactionConflictException({ message: 'Transaction is ongoing for the item', $metadata: {} }));

    expect(result.statusCode).toBe(409);
    expect(bodyOf(result)).toMatchObject({ status: 409, title: 'Conflict' });
    expect(result.body).not.toContain('ongoing');
  });

  it('answers a rate limit with 429 and the seconds to wait', () => {
    const result = problemResponse(new TooManyRequestsError('This tenant has sent as many invites as it may this hour.', 1234));

    expect(result.statusCode).toBe(429);
    expect(result.headers).toMatchObject({ 'retry-after': '1234' });
  });

  it('still answers a failed condition or a bug with a bare 500 (a fault of ours, not of the store)', () => {
    const result = problemResponse(
      new TransactionCanceledException({ message: 'x', $metadata: {}, CancellationReasons: [{ Code: 'ValidationError' }] }),
    );

    expect(result.statusCode).toBe(500);
    expect(result.headers).not.toHaveProperty('retry-after');
  });
});

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
