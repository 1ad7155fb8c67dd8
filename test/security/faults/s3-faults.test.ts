import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpResult } from '../../../src/lib/http/response';
import { auditOfFile, fileItem, objectExists, objectKeyOf, uploadCsv } from '../../integration/files/file-support';
import { pointHandlersAtStack } from '../../integration/support/in-process';
import { type Caller, tenantWithOwner } from '../../integration/support/world';
import { httpEvent, lambdaContext } from '../../unit/support/api-gateway';

/**
 * SPEC §3 and issue 12: S3 unavailable while a file is declared, read or
 * deleted leaves no metadata without its object and answers 503, never 500.
 * The real handlers run in this process (so their S3 client can be cut off)
 * against the local stack's DynamoDB, S3 and Cognito tokens.
 */

const loadHandlers = async () => ({
  createFile: (await import('../../../src/handlers/files/create')).handler,
  getFile: (await import('../../../src/handlers/files/get')).handler,
  deleteFile: (await import('../../../src/handlers/files/delete')).handler,
});
let handlers: Awaited<ReturnType<typeof loadHandlers>>;
/** While true, every S3 call of the handlers fails as a refused connection does (after the SDK's own retries). */
let s3Down = false;
let s3Calls = 0;
const context = lambdaContext();
let tenantId: string;
let owner: Caller;

const request = (method: string, path: string, pathParameters: Record<string, string>, body?: unknown): APIGatewayProxyEventV2 =>
  httpEvent({
    method,
    path,
    pathParameters,
    headers: { authorization: `Bearer ${owner.accessToken}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });

const expectRetryLater = (res: HttpResult) => {
  expect(res.statusCode).toBe(503);
  expect(String(res.headers?.['retry-after'] ?? res.headers?.['Retry-After'])).toMatch(/^\d+$/);
  expect(String(res.headers?.['content-type'] ?? res.headers?.['Content-Type'])).toMatch(/^application\/problem\+json/);
};

beforeAll(async () => {
  pointHandlersAtStack({ AUTH_CACHE_SECONDS: '0' });
  handlers = await loadHandlers();
  const { logger } = await import('../../../src/lib/logger');
  logger.setLogLevel('ERROR');
  const { s3 } = await import('../../../src/lib/files/s3-client');
  s3.middlewareStack.add(
    (next) => async (args) => {
      s3Calls += 1;
      if (s3Down) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4569'), { code: 'ECONNREFUSED' });
      return next(args);
    },
    { step: 'finalizeRequest', name: 's3Outage' },
  );
  ({ tenantId, owner } = await tenantWithOwner('S3 faults'));
}, 180_000);

afterAll(() => {
  s3Down = false;
});

describe('S3 unavailable', () => {
  it('answers a DELETE 503 with Retry-After and keeps the file and its object; the same DELETE later finishes the job', async () => {
    // Prepare: a ready file
    const { file } = await uploadCsv(owner, tenantId, 'kept.csv', 'a,b\n1,2\n');
    const key = objectKeyOf(tenantId, file.fileId);
    const path = { tenantId, fileId: file.fileId };
    const url = `/tenants/${tenantId}/files/${file.fileId}`;

    // Act
    s3Down = true;
    const refused = await handlers.deleteFile(request('DELETE', url, path), context);
    s3Down = false;

    // Assess: nothing changed
    expectRetryLater(refused);
    expect(await fileItem(tenantId, file.fileId)).toMatchObject({ status: 'ready' });
    expect(await objectExists(key)).toBe(true);
    expect(await auditOfFile(tenantId, file.fileId, 'file.deleted')).toEqual([]);

    // Act: the client tries again once S3 is back
    const done = await handlers.deleteFile(request('DELETE', url, path), context);

    // Assess
    expect(done.statusCode).toBe(204);
    expect(await fileItem(tenantId, file.fileId)).toBeUndefined();
    expect(await objectExists(key)).toBe(false);
    expect(await auditOfFile(tenantId, file.fileId, 'file.deleted')).toHaveLength(1);
  });

  it('still declares an upload and hands out a ready file’s download: presigning is local, no S3 call is made', async () => {
    // Prepare: a ready file
    const { file: ready } = await uploadCsv(owner, tenantId, 'read.csv', 'a\n1\n');
    const callsBefore = s3Calls;

    // Act
    s3Down = true;
    const declared = await handlers.createFile(
      request('POST', `/tenants/${tenantId}/files`, { tenantId }, { name: 'later.csv', contentType: 'text/csv', size: 10 }),
      context,
    );
    const read = await handlers.getFile(
      request('GET', `/tenants/${tenantId}/files/${ready.fileId}`, { tenantId, fileId: ready.fileId }),
      context,
    );
    s3Down = false;

    // Assess: a pending declaration that expires unless its object lands, and no object
    expect(s3Calls).toBe(callsBefore);
    expect(declared.statusCode).toBe(201);
    const fileId = String((JSON.parse(declared.body ?? '{}') as { file?: { fileId?: string } }).file?.fileId);
    expect(await fileItem(tenantId, fileId)).toMatchObject({ status: 'pending', ttl: expect.any(Number) });
    expect(await objectExists(objectKeyOf(tenantId, fileId))).toBe(false);
    expect(read.statusCode).toBe(200);
    expect(JSON.parse(read.body ?? '{}')).toMatchObject({ status: 'ready', download: { url: expect.any(String) } });
  });
});
