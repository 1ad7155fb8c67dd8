import { describe, expect, it } from 'vitest';
import { handler } from '../../../../src/handlers/health/get';
import { SECURITY_HEADERS } from '../../../../src/lib/http/security-headers';
import { httpEvent, lambdaContext } from '../../support/api-gateway';

describe('GET /health', () => {
  it('answers { status: "ok" } to anyone, with the security headers', async () => {
    // Act
    const res = await handler(httpEvent({ path: '/health' }), lambdaContext());

    // Assess
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body ?? '')).toEqual({ status: 'ok' });
    expect(res.headers).toMatchObject(SECURITY_HEADERS);
  });

  it('ignores an authorization header', async () => {
    // Act
    const res = await handler(httpEvent({ path: '/health', headers: { authorization: 'Bearer garbage' } }), lambdaContext());

    // Assess
    expect(res.statusCode).toBe(200);
  });
});
