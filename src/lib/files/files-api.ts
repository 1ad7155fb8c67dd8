import * as z from 'zod';
import { defineRoute } from '../http/api-route';
import { pageOf, pathId, tenantPath, timestamp } from '../http/schemas';
import { listQuerySchema } from '../pagination/list-query';
import { type DeclarationRules, declarationSchema, FILE_STATUSES } from './file';

const fileShape = {
  fileId: z.string(),
  name: z.string().meta({ description: 'The declared name, cleaned for display; metadata only.' }),
  contentType: z.string(),
  size: z.number().int().min(0),
  status: z.enum(FILE_STATUSES),
  rowCount: z.number().int().min(0).optional().meta({ description: 'Data rows, the header excluded; once `ready`.' }),
  columns: z.array(z.string()).optional().meta({ description: "The header's column names; once `ready`." }),
  reason: z.string().optional().meta({ description: 'Why the file was `rejected`.' }),
  uploadedBy: z.string(),
  createdAt: timestamp,
};

const fileExample = {
  fileId: '01956f2a-8b3c-7d4e-9f5a-6b7c8d9e0f1a',
  name: 'Q3 scores.csv',
  contentType: 'text/csv',
  size: 52,
  status: 'ready',
  rowCount: 3,
  columns: ['id', 'name', 'score'],
  uploadedBy: '5a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
  createdAt: '2026-03-01T09:30:00.000Z',
} as const;

export const fileSchema = z.object(fileShape).meta({ id: 'File', examples: [fileExample] });

/** A presigned GET (`Content-Disposition: attachment`), valid 15 minutes at most. */
export const downloadSchema = z.object({ url: z.url(), expiresAt: timestamp }).meta({ id: 'Download' });

/** GET of one file: its metadata and, once `ready`, a download. */
export const fileDetailsSchema = z.object({ ...fileShape, download: downloadSchema.optional() }).meta({ id: 'FileDetails' });

/** A presigned PUT for exactly the declared type and size: send every header as given, with the bytes. */
export const uploadSchema = z
  .object({
    url: z.url(),
    method: z.literal('PUT'),
    headers: z.record(z.string(), z.string()),
    expiresAt: timestamp,
  })
  .meta({ id: 'Upload' });

export const declaredFileSchema = z.object({ file: fileSchema, upload: uploadSchema }).meta({ id: 'DeclaredFile' });

export const filePageSchema = pageOf(fileSchema, 'FilePage');

const filePath = z.object({ tenantId: pathId, fileId: pathId });

/** The body's size limit and content types are the stage's (serverless.yml `filesMaxBytes`, `filesAllowedTypes`). */
export const createFileRoute = (rules: DeclarationRules) =>
  defineRoute({
    operationId: 'createFile',
    method: 'post',
    path: '/tenants/{tenantId}/files',
    tag: 'Files',
    summary: 'Declare a CSV upload',
    description:
      'member+. Stores a `pending` file and answers a presigned PUT for its object. Once the bytes land, the ingest sets the file `ready` (with `columns` and `rowCount`) or `rejected` (with a `reason`).',
    access: { kind: 'tenant', action: 'files.create' },
    input: { path: tenantPath, body: declarationSchema(rules) },
    responses: { 201: declaredFileSchema },
  });

export const listFilesRoute = defineRoute({
  operationId: 'listFiles',
  method: 'get',
  path: '/tenants/{tenantId}/files',
  tag: 'Files',
  summary: "List the tenant's files, newest first",
  description: 'viewer+.',
  access: { kind: 'tenant', action: 'files.list' },
  input: { path: tenantPath, query: listQuerySchema },
  responses: { 200: filePageSchema },
});

export const getFileRoute = defineRoute({
  operationId: 'getFile',
  method: 'get',
  path: '/tenants/{tenantId}/files/{fileId}',
  tag: 'Files',
  summary: "A file's metadata, and its download once ready",
  description: 'viewer+.',
  access: { kind: 'tenant', action: 'files.read' },
  input: { path: filePath },
  responses: { 200: fileDetailsSchema },
});

export const deleteFileRoute = defineRoute({
  operationId: 'deleteFile',
  method: 'delete',
  path: '/tenants/{tenantId}/files/{fileId}',
  tag: 'Files',
  summary: 'Delete a file: its object, then its metadata',
  description: 'The uploader (member+), or admin+ for any file.',
  access: { kind: 'tenant', action: 'files.deleteOwn' },
  input: { path: filePath },
  responses: { 204: null },
});
