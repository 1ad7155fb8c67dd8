import { Readable } from 'node:stream';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import type { TenantCaller } from '../../../../src/lib/auth/caller';
import type { Role } from '../../../../src/lib/auth/roles';

/** The mocked S3 client shared by the files tests (the DynamoDB one is test/unit/support/dynamodb.ts). */
export const s3Mock = mockClient(S3Client);

export const BUCKET = 'tenantgate-unit-uploads';
export const TENANT = '5b0c3c4e-9f7a-4d52-9a51-3c1e8b0f2d11';
export const FILE_ID = '01977a4c-5b00-7abc-8def-0123456789ab';
export const KEY = `tenants/${TENANT}/files/${FILE_ID}`;
export const UPLOADER = 'uploader-sub';
export const NOW = new Date('2025-06-02T09:00:00.000Z');

/** A file item as the table stores it. */
export const fileItem = (fields: Record<string, unknown> = {}) => ({
  pk: `TENANT#${TENANT}`,
  sk: `FILE#${FILE_ID}`,
  entity: 'file',
  tenantId: TENANT,
  fileId: FILE_ID,
  name: 'scores.csv',
  contentType: 'text/csv',
  size: 18,
  status: 'pending',
  uploadedBy: UPLOADER,
  createdAt: '2025-06-02T08:59:00.000Z',
  ttl: Math.floor(NOW.getTime() / 1000) + 3600,
  client: { ip: '203.0.113.7', userAgent: 'browser' },
  ...fields,
});

/** What GetObject answers for `content`: a plain byte stream, as the SDK hands it over in Node. */
export const objectOf = (content: string | Buffer, contentLength?: number) => {
  const bytes = Buffer.isBuffer(content) ? content : Buffer.from(content);
  return { Body: Readable.from([bytes]) as never, ContentLength: contentLength ?? bytes.length };
};

export const conditionFailed = () =>
  new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: {},
    CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }],
  });

/** A caller signed in to TENANT with a role, from an address. */
export const callerAs = (userId: string, role: Role, client: { ip?: string; userAgent?: string } = {}): TenantCaller => ({
  userId,
  sessionId: 'session-1',
  clientId: 'webclient1',
  isPlatformAdmin: false,
  tenantId: TENANT,
  role,
  ...client,
});
