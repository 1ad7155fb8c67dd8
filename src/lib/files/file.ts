import { randomBytes } from 'node:crypto';
import * as z from 'zod';
import { can } from '../auth/permissions';
import type { Role } from '../auth/roles';
import { ForbiddenError } from '../errors';

/**
 * The pure rules of a tenant file: what an upload may declare, how a user's
 * file name is cleaned for display and for `Content-Disposition`, and who may
 * delete a file. No I/O here.
 */

export const FILE_STATUSES = ['pending', 'ready', 'rejected'] as const;
export type FileStatus = (typeof FILE_STATUSES)[number];

/** A file as the API shows it (SPEC §3). */
export type FileView = {
  fileId: string;
  name: string;
  contentType: string;
  size: number;
  status: FileStatus;
  rowCount?: number;
  columns?: string[];
  reason?: string;
  uploadedBy: string;
  createdAt: string;
};

/** What the table holds besides the view: the TTL of a pending declaration, and who declared it from where. */
export type StoredFile = FileView & {
  tenantId: string;
  /** Epoch seconds (DynamoDB TTL); only while pending. */
  ttl?: number;
  client?: { ip?: string; userAgent?: string };
};

export const MAX_NAME_LENGTH = 200;

/** Bidirectional overrides and zero-width characters let a name display as something else (`evil‮vsc.exe`). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;
/** Reserved in file names on Windows or macOS, or awkward in a quoted header parameter. */
const RESERVED = /[<>:"/\\|?*]/g;

/**
 * A user's file name made safe to show and to offer as a download name: only
 * its last path segment, no control or invisible characters, no reserved
 * characters, no leading dots (`..`, hidden files), single spaces, at most
 * MAX_NAME_LENGTH characters (the extension kept). It is metadata only: no
 * key is ever built from it. Empty when nothing usable is left.
 */
export const cleanFileName = (raw: string): string => {
  const lastSegment = raw.normalize('NFC').split(/[/\\]/).pop() ?? '';
  const cleaned = lastSegment
    .replace(/\s+/g, ' ')
    .replace(INVISIBLE, '')
    .replace(RESERVED, '_')
    .trim()
    .replace(/^[.\s]+/, '')
    .replace(/[.\s]+$/, '');
  return truncateKeepingExtension(cleaned, MAX_NAME_LENGTH);
};

const truncateKeepingExtension = (name: string, max: number): string => {
  const chars = Array.from(name);
  if (chars.length <= max) return name;
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 ? Array.from(name.slice(dot)) : [];
  if (extension.length === 0 || extension.length > 16) return chars.slice(0, max).join('').trimEnd();
  return `${chars
    .slice(0, max - extension.length)
    .join('')
    .trimEnd()}${extension.join('')}`;
};

/**
 * `Content-Disposition: attachment` for a cleaned name (RFC 6266): an ASCII
 * `filename` for old clients and the exact name as `filename*` (RFC 8187).
 */
export const contentDisposition = (name: string): string => {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\%]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
};

export type DeclarationRules = { maxBytes: number; allowedTypes: readonly string[] };

/** A stage's rules when its config says nothing (serverless.yml `params`): 100 MiB of `text/csv`. */
export const DEFAULT_DECLARATION_RULES: DeclarationRules = { maxBytes: 100 * 1024 * 1024, allowedTypes: ['text/csv'] };

/** The body of POST /tenants/{tenantId}/files: strict, so a smuggled key or tenant id is a 400. */
export const declarationSchema = (rules: DeclarationRules) =>
  z.strictObject({
    name: z
      .string()
      .max(1024)
      .transform(cleanFileName)
      .refine((name) => name.length > 0, 'must contain a usable file name'),
    contentType: z
      .string()
      .max(255)
      .transform((t) => t.trim().toLowerCase())
      .refine((t) => rules.allowedTypes.includes(t), `is not supported; allowed: ${rules.allowedTypes.join(', ')}`)
      .meta({ description: `One of: ${rules.allowedTypes.join(', ')}.`, examples: [rules.allowedTypes[0]] }),
    size: z
      .number()
      .int()
      .min(0)
      .max(rules.maxBytes, `must be at most ${rules.maxBytes} bytes`)
      .meta({ description: "The file's exact size in bytes; the upload must match it." }),
  });

export type Declaration = z.infer<ReturnType<typeof declarationSchema>>;

/**
 * File ids are UUIDv7 (RFC 9562): random, yet ordered by creation time, so a
 * tenant's list reads newest first straight from the sort key.
 */
export const newFileId = (now: Date = new Date()): string => {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(now.getTime(), 0, 6);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x70;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};

export const FILE_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/**
 * A pending declaration lives for a day after its upload URL expires: long
 * enough for an upload started at the last second to land and be ingested,
 * then DynamoDB's TTL removes it.
 */
export const PENDING_GRACE_SECONDS = 24 * 60 * 60;

export const pendingTtl = (uploadExpiresAt: Date): number => Math.floor(uploadExpiresAt.getTime() / 1000) + PENDING_GRACE_SECONDS;

/** DynamoDB deletes expired items lazily (within days): an expired declaration is treated as gone at once. */
export const isExpired = (file: { ttl?: number }, now: Date): boolean => file.ttl !== undefined && file.ttl * 1000 <= now.getTime();

export type FileActor = { userId: string; role: Role };

/** The uploader may delete their own file (member+); an admin or owner may delete any. */
export const assertMayDelete = (actor: FileActor, file: { uploadedBy: string }): void => {
  if (can(actor.role, 'files.deleteAny')) return;
  if (file.uploadedBy === actor.userId && can(actor.role, 'files.deleteOwn')) return;
  throw new ForbiddenError('Only the uploader or an admin may delete this file.');
};

export const toFileView = (file: StoredFile): FileView => ({
  fileId: file.fileId,
  name: file.name,
  contentType: file.contentType,
  size: file.size,
  status: file.status,
  ...(file.rowCount !== undefined ? { rowCount: file.rowCount } : {}),
  ...(file.columns !== undefined ? { columns: file.columns } : {}),
  ...(file.reason !== undefined ? { reason: file.reason } : {}),
  uploadedBy: file.uploadedBy,
  createdAt: file.createdAt,
});
