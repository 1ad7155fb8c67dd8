import * as z from 'zod';
import { config } from '../config';
import { ENV, emptyAsUndefined } from '../env-names';
import { optional, readConfig } from '../read-config';
import { DEFAULT_DECLARATION_RULES } from './file';

/**
 * Stage config for tenant files (serverless.yml `params`), read and validated
 * once when the module loads: a missing or malformed value fails the cold
 * start, not a request.
 */

/** The largest object one presigned PUT can create. */
export const S3_SINGLE_PUT_MAX_BYTES = 5 * 1024 ** 3;
export const DEFAULT_MAX_BYTES = DEFAULT_DECLARATION_RULES.maxBytes;
/** SPEC §3: presigned URLs expire within 15 minutes. */
export const MAX_URL_SECONDS = 15 * 60;

/**
 * Every allowed type is parsed as CSV, so only the names browsers and tools
 * give CSV files may be allowed (Windows browsers report `.csv` as the Excel type).
 */
export const CSV_CONTENT_TYPES = ['text/csv', 'application/csv', 'text/comma-separated-values', 'application/vnd.ms-excel'] as const;

const contentTypes = z
  .string()
  .transform((list) =>
    list
      .split(',')
      .map((t) => t.trim().toLowerCase())
      .filter(Boolean),
  )
  .pipe(z.array(z.enum(CSV_CONTENT_TYPES)).min(1));

const schema = z.object({
  [ENV.bucketName]: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name'),
  [ENV.s3Endpoint]: optional(z.url()),
  [ENV.filesMaxBytes]: z.preprocess(
    emptyAsUndefined,
    z.coerce.number().int().min(1).max(S3_SINGLE_PUT_MAX_BYTES).default(DEFAULT_MAX_BYTES),
  ),
  [ENV.filesAllowedTypes]: z.preprocess(emptyAsUndefined, contentTypes.default(['text/csv'])),
  [ENV.filesUrlSeconds]: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(60).max(MAX_URL_SECONDS).default(MAX_URL_SECONDS)),
});

export type FilesConfig = {
  region: string;
  bucketName: string;
  /** Local stack only: s3rver. */
  s3Endpoint: string | undefined;
  maxBytes: number;
  allowedTypes: readonly string[];
  urlSeconds: number;
};

export const parseFilesConfig = (env: NodeJS.ProcessEnv, region: string = config.region): FilesConfig => {
  const c = readConfig('files', schema, env);
  return {
    region,
    bucketName: c[ENV.bucketName],
    s3Endpoint: c[ENV.s3Endpoint],
    maxBytes: c[ENV.filesMaxBytes],
    allowedTypes: c[ENV.filesAllowedTypes],
    urlSeconds: c[ENV.filesUrlSeconds],
  };
};

export const filesConfig: FilesConfig = parseFilesConfig(process.env);
