import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from '../../../src/lib/db/client';
import { fileKey } from '../../../src/lib/db/keys';
import { api } from '../support/api';
import { auditEventsOf } from '../support/data';
import { invokeFunction } from '../support/lambda';
import { stack } from '../support/stack';
import { type Caller, waitUntil } from '../support/world';

/** Straight to s3rver, as an operator would: to look at objects, or to place one no declaration covers. */
export const s3 = new S3Client({
  endpoint: stack.s3.endpoint,
  region: stack.region,
  forcePathStyle: true,
  credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  requestChecksumCalculation: 'WHEN_REQUIRED',
  responseChecksumValidation: 'WHEN_REQUIRED',
});

export const objectKeyOf = (tenantId: string, fileId: string) => `tenants/${tenantId}/files/${fileId}`;

export type FileBody = {
  fileId: string;
  name: string;
  contentType: string;
  size: number;
  status: 'pending' | 'ready' | 'rejected';
  rowCount?: number;
  columns?: string[];
  reason?: string;
  uploadedBy: string;
  createdAt: string;
  download?: { url: string; expiresAt: string };
};

export type Upload = { url: string; method: 'PUT'; headers: Record<string, string>; expiresAt: string };
export type Declared = { file: FileBody; upload: Upload };

export const declareFile = (caller: Caller, tenantId: string, body: Record<string, unknown>) =>
  api(`/tenants/${tenantId}/files`, { method: 'POST', token: caller.accessToken, body });

export const declareCsv = async (caller: Caller, tenantId: string, name: string, bytes: Buffer): Promise<Declared> => {
  const res = await declareFile(caller, tenantId, { name, contentType: 'text/csv', size: bytes.length });
  if (res.status !== 201) throw new Error(`declaring ${name} failed: ${res.status} ${res.text}`);
  return res.body as Declared;
};

/** The PUT a browser makes with the returned ticket: its method, URL and headers, the bytes as the body. */
export const putAsBrowser = (upload: Upload, bytes: Buffer, headers: Record<string, string> = upload.headers) =>
  fetch(upload.url, { method: upload.method, headers, body: bytes });

/** S3's XML error: its code and message. */
export const s3ErrorOf = async (res: Response): Promise<{ code: string | undefined; message: string | undefined }> => {
  const xml = await res.text();
  return { code: /<Code>([^<]*)<\/Code>/.exec(xml)?.[1], message: /<Message>([^<]*)<\/Message>/.exec(xml)?.[1] };
};

export const getFile = (caller: Caller, tenantId: string, fileId: string) =>
  api(`/tenants/${tenantId}/files/${fileId}`, { token: caller.accessToken });

/** Polls GET until the ingest has settled the file (ready or rejected). */
export const settledFile = async (caller: Caller, tenantId: string, fileId: string): Promise<FileBody> => {
  let file: FileBody | undefined;
  await waitUntil(
    async () => {
      const res = await getFile(caller, tenantId, fileId);
      if (res.status !== 200) throw new Error(`GET file: ${res.status} ${res.text}`);
      file = res.body as FileBody;
      return file.status !== 'pending';
    },
    30_000,
    150,
  );
  if (!file) throw new Error('unreachable');
  return file;
};

/** Declares, uploads as a browser would and waits for the ingest's verdict. */
export const uploadCsv = async (caller: Caller, tenantId: string, name: string, content: string | Buffer) => {
  const bytes = Buffer.isBuffer(content) ? content : Buffer.from(content);
  const declared = await declareCsv(caller, tenantId, name, bytes);
  const put = await putAsBrowser(declared.upload, bytes);
  if (put.status !== 200) throw new Error(`upload failed: ${put.status} ${await put.text()}`);
  return { declared, file: await settledFile(caller, tenantId, declared.file.fileId) };
};

export const objectExists = async (key: string): Promise<boolean> => {
  try {
    await s3.send(new HeadObjectCommand({ Bucket: stack.s3.bucket, Key: key }));
    return true;
  } catch (err) {
    if ((err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return false;
    throw err;
  }
};

export const objectBytes = async (key: string): Promise<Buffer> => {
  const out = await s3.send(new GetObjectCommand({ Bucket: stack.s3.bucket, Key: key }));
  return Buffer.from(await (out.Body as { transformToByteArray: () => Promise<Uint8Array> }).transformToByteArray());
};

export const putObjectDirectly = (key: string, bytes: Buffer) =>
  s3.send(new PutObjectCommand({ Bucket: stack.s3.bucket, Key: key, Body: bytes, ContentType: 'text/csv' }));

export const deleteObjectDirectly = (key: string) => s3.send(new DeleteObjectCommand({ Bucket: stack.s3.bucket, Key: key }));

export const waitUntilObjectGone = (key: string) => waitUntil(async () => !(await objectExists(key)), 30_000, 150);

export const fileItem = async (tenantId: string, fileId: string) =>
  (await db.send(new GetCommand({ TableName: tableName, Key: fileKey(tenantId, fileId), ConsistentRead: true }))).Item;

/** Moves a declaration's TTL into the past, as if its day of grace were over (DynamoDB deletes it some time later). */
export const expireDeclaration = (tenantId: string, fileId: string) =>
  db.send(
    new UpdateCommand({
      TableName: tableName,
      Key: fileKey(tenantId, fileId),
      UpdateExpression: 'SET #ttl = :past',
      ExpressionAttributeNames: { '#ttl': 'ttl' },
      ExpressionAttributeValues: { ':past': Math.floor(Date.now() / 1000) - 60 },
    }),
  );

export const auditOfFile = async (tenantId: string, fileId: string, type: string) =>
  (await auditEventsOf(tenantId)).filter((e) => e.targetId === fileId && e.type === type);

/** An ObjectCreated notification as S3 sends it, to deliver again (at-least-once) through the Lambda endpoint. */
export const objectCreatedEvent = (key: string, size: number) => ({
  Records: [
    {
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: stack.region,
      eventTime: new Date().toISOString(),
      eventName: 'ObjectCreated:Put',
      s3: {
        s3SchemaVersion: '1.0',
        configurationId: 'ingest-uploads',
        bucket: { name: stack.s3.bucket, arn: `arn:aws:s3:::${stack.s3.bucket}` },
        object: { key, size, sequencer: '0' },
      },
    },
  ],
});

/** Invokes the ingest through serverless-offline's Lambda endpoint, as S3 does. */
export const deliverObjectCreated = (key: string, size: number) => invokeFunction('ingestFile', objectCreatedEvent(key, size));
