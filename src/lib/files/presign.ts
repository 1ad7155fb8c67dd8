import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { contentDisposition } from './file';
import { filesConfig } from './files-config';
import { PENDING_TAGGING } from './object-key';
import { bucketName, s3 } from './s3-client';

/**
 * Presigned URLs: the only way bytes reach or leave the bucket. The PUT signs
 * the declared content type and exact length, `If-None-Match: *` (S3 refuses
 * to replace an object once it landed, so a checked file cannot be swapped)
 * and the `pending` tag; a client must send each of these headers as given.
 */
export type UploadTicket = { url: string; method: 'PUT'; headers: Record<string, string>; expiresAt: string };
export type DownloadTicket = { url: string; expiresAt: string };

/** Lower-case, as SigV4 names them in X-Amz-SignedHeaders. */
export const SIGNED_UPLOAD_HEADERS = ['content-type', 'content-length', 'if-none-match', 'x-amz-tagging'] as const;

const expiry = (now: Date) => new Date(now.getTime() + filesConfig.urlSeconds * 1000).toISOString();

export const presignUpload = async (key: string, declared: { contentType: string; size: number }, now: Date): Promise<UploadTicket> => {
  const command = new PutObjectCommand({
    Bucket: bucketName,
    Key: key,
    ContentType: declared.contentType,
    ContentLength: declared.size,
    IfNoneMatch: '*',
    Tagging: PENDING_TAGGING,
  });
  const url = await getSignedUrl(s3, command, {
    expiresIn: filesConfig.urlSeconds,
    signingDate: now,
    signableHeaders: new Set(SIGNED_UPLOAD_HEADERS),
    // S3 ignores a tag hoisted into the query string of a presigned PUT: it must be a signed header.
    unhoistableHeaders: new Set(['x-amz-tagging']),
  });
  return {
    url,
    method: 'PUT',
    headers: {
      'Content-Type': declared.contentType,
      // Browsers set Content-Length themselves (a script may not); other clients must send it.
      'Content-Length': String(declared.size),
      'If-None-Match': '*',
      'x-amz-tagging': PENDING_TAGGING,
    },
    expiresAt: expiry(now),
  };
};

/** A GET that makes the browser save the file under its cleaned name. */
export const presignDownload = async (key: string, name: string, now: Date): Promise<DownloadTicket> => {
  const command = new GetObjectCommand({ Bucket: bucketName, Key: key, ResponseContentDisposition: contentDisposition(name) });
  const url = await getSignedUrl(s3, command, { expiresIn: filesConfig.urlSeconds, signingDate: now });
  return { url, expiresAt: expiry(now) };
};
