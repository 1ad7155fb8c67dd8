import { CopyObjectCommand, DeleteObjectCommand, HeadObjectCommand, S3ServiceException } from '@aws-sdk/client-s3';
import { PENDING_TAGGING } from './object-key';
import { isMissing } from './object-store';
import { bucketName, s3 } from './s3-client';

/**
 * The objects of the inbox ingest: one small function per S3 operation. The
 * bucket is versioned, so an operation names the version the event was about
 * when it knows it: a newer upload to the same key is another upload, with an
 * event of its own, and must not be copied or deleted in this one's name.
 */

export type InboxHead = {
  /** Without quotes. */
  eTag: string;
  /** Undefined on an unversioned bucket (the local stack), where S3 answers `null`. */
  versionId: string | undefined;
  lastModified: Date | undefined;
  contentType: string | undefined;
  size: number;
};

const realVersion = (versionId: string | undefined): string | undefined => (versionId && versionId !== 'null' ? versionId : undefined);

/** What the object is; undefined when it is gone. */
export const headInboxObject = async (key: string, versionId?: string): Promise<InboxHead | undefined> => {
  try {
    const out = await s3.send(new HeadObjectCommand({ Bucket: bucketName, Key: key, ...(versionId ? { VersionId: versionId } : {}) }));
    return {
      eTag: (out.ETag ?? '').replace(/"/g, ''),
      versionId: realVersion(out.VersionId),
      lastModified: out.LastModified,
      contentType: out.ContentType,
      size: out.ContentLength ?? 0,
    };
  } catch (err) {
    if (isMissing(err)) return undefined;
    throw err;
  }
};

/**
 * The id of one upload to a key, the same for every delivery of its event:
 * its version, or where the bucket keeps none, its ETag and time (a second
 * upload of the same bytes to the same key is another upload).
 */
export const uploadIdOf = (head: InboxHead): string => head.versionId ?? `${head.eTag}@${head.lastModified?.toISOString() ?? ''}`;

/** `x-amz-copy-source` is URL-encoded; `/` and `:` (identity ids) stay as they are, which S3 and the local emulator both read. */
const copySource = (key: string, versionId: string | undefined): string =>
  `${bucketName}/${encodeURIComponent(key).replace(/%2F/g, '/').replace(/%3A/g, ':')}${versionId ? `?versionId=${encodeURIComponent(versionId)}` : ''}`;

const isPreconditionFailed = (err: unknown): boolean =>
  err instanceof S3ServiceException && (err.name === 'PreconditionFailed' || err.$metadata?.httpStatusCode === 412);

/**
 * Copies an inbox object to a file's key, tagged `pending` like a presigned
 * upload (the lifecycle rule removes it if its ingest never succeeds), and
 * only if nothing is there yet: a second copy by a redelivered event must not
 * land on a file its ingest already tagged `done`. 'already-there' for that
 * case, 'source-gone' when the inbox object was deleted meanwhile (only ever
 * after its copy).
 */
export const copyToFile = async (
  key: string,
  versionId: string | undefined,
  fileKey: string,
): Promise<'copied' | 'already-there' | 'source-gone'> => {
  try {
    await s3.send(
      new CopyObjectCommand({
        Bucket: bucketName,
        Key: fileKey,
        CopySource: copySource(key, versionId),
        IfNoneMatch: '*',
        TaggingDirective: 'REPLACE',
        Tagging: PENDING_TAGGING,
      }),
    );
    return 'copied';
  } catch (err) {
    if (isPreconditionFailed(err)) return 'already-there';
    if (isMissing(err)) return 'source-gone';
    throw err;
  }
};

/** Deletes the inbox object (that version, for good, where it has one). Idempotent. */
export const removeInboxObject = async (key: string, versionId: string | undefined): Promise<void> => {
  await s3.send(new DeleteObjectCommand({ Bucket: bucketName, Key: key, ...(versionId ? { VersionId: versionId } : {}) }));
};
