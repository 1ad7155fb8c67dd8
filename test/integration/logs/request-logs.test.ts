import { beforeAll, describe, expect, it } from 'vitest';
import { api } from '../support/api';
import { functionLogLines, type LogLine, logLinesWhere } from '../support/logs';
import { type Caller, tenantWithOwner } from '../support/world';

/**
 * Following one request through the local stack's logs, as a team would
 * through CloudWatch: the response's x-correlation-id finds every line of the
 * request, and each names the function, the Lambda request and the caller.
 */
const WEB_ORIGIN = 'http://localhost:5173';

let tenantId: string;
let owner: Caller;
beforeAll(async () => {
  ({ tenantId, owner } = await tenantWithOwner('Followed'));
});

/** Every line of one request, once its last ("Request answered") is on disk: lines reach the file through a pipe. */
const linesOfRequest = async (correlationId: string): Promise<LogLine[]> => {
  await logLinesWhere((line) => line.correlation_id === correlationId && line.message === 'Request answered');
  return functionLogLines().filter((line) => line.correlation_id === correlationId);
};

describe('following one request by its x-correlation-id', () => {
  it("finds a tenant request's lines, each with the caller's tenantId and userId and the Lambda context", async () => {
    // Act
    const res = await api(`/tenants/${tenantId}`, { token: owner.accessToken });

    // Assess
    expect(res.status).toBe(200);
    const correlationId = res.headers.get('x-correlation-id');
    expect(correlationId).toEqual(expect.any(String));
    const lines = await linesOfRequest(correlationId ?? '');
    expect(lines).toContainEqual(expect.objectContaining({ message: 'Request answered', route: 'GET /tenants/{tenantId}', status: 200 }));
    for (const line of lines) {
      expect(line).toMatchObject({
        service: 'tenantgate',
        tenantId,
        userId: owner.userId,
        function_name: 'tenantgate-local-getTenant',
        function_request_id: expect.any(String),
        cold_start: expect.any(Boolean),
      });
    }
  });

  it('gives every request its own correlation id', async () => {
    // Act
    const [first, second] = [await api(`/tenants/${tenantId}`, { token: owner.accessToken }), await api('/health')];

    // Assess
    expect(first.headers.get('x-correlation-id')).not.toEqual(second.headers.get('x-correlation-id'));
  });

  it('answers a refused token with a correlation id a browser may read, and its lines name no caller', async () => {
    // Act
    const res = await api('/me', { token: 'not-a-token', headers: { origin: WEB_ORIGIN } });

    // Assess
    expect(res.status).toBe(401);
    expect(res.headers.get('access-control-expose-headers')).toContain('x-correlation-id');
    const lines = await linesOfRequest(res.headers.get('x-correlation-id') ?? '');
    expect(lines.map((line) => line.message)).toEqual(['Token refused', 'Request answered']);
    for (const line of lines) expect(line).not.toHaveProperty('userId');
  });
});

describe("a Cognito trigger's lines", () => {
  it('name the user and, once read, the tenant, with the Lambda request id as correlation id', async () => {
    // Act: the owner's sign-up (beforeAll) ran PostConfirmation
    const [confirmed] = await logLinesWhere((line: LogLine) => line.message === 'Sign-up confirmed' && line.userId === owner.userId);

    // Assess
    expect(confirmed).toMatchObject({ tenantId, function_name: 'tenantgate-local-postConfirmation' });
    expect(confirmed?.correlation_id).toBe(confirmed?.function_request_id);
  });
});
