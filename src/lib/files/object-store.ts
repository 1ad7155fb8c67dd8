import type { Readable } from 'node:stream';
import { DeleteObjectCommand, GetObjectCommand, NoSuchKey, PutObjectTaggingCommand, S3ServiceException } from '@aws-sdk/client-s3';
import { DONE_TAG } from './object-key';
import { bucketName, s3 } from './s3-client';

/** The objects of tenant files: one small typed function per S3 operation. */

/**
 * A missing key. On AWS the functions hold no s3:ListBucket, so S3 answers a
 * missing key with 403 instead: that fails the ingest, and its retry finds the
 * declaration gone (the only way the object can vanish under a pending file).
 */
export const isMissing = (err: unknown): boolean =>
  err instanceof NoSuchKey || (err instanceof S3ServiceException && (err.name === 'NoSuchKey' || err.$metadata?.httpStatusCode === 404));

export type OpenedObject = { body: Readable; contentLength: number | undefined };

/** A stream of the object's bytes; undefined when it is gone. */
export const openObject = async (key: string): Promise<OpenedObject | undefined> => {
  try {
    const out = await s3.send(new GetObjectCommand({ Bucket: bucketName, Key: key }));
    if (!out.Body) throw new Error('GetObject returned no body');
    return { body: out.Body as Readable, contentLength: out.ContentLength };
  } catch (err) {
    if (isMissing(err)) return undefined;
    throw err;
  }
};

/** Marks the object ingested, so the lifecycle rule for never-ingested uploads leaves it alone; false when it is gone. */
export const tagIngested = async (key: string): Promise<boolean> => {
  try {
    await s3.send(new PutObjectTaggingCommand({ Bucket: bucketName, Key: key, Tagging: { TagSet: [DONE_TAG] } }));
    return true;
  } catch (err) {
    if (isMissing(err)) return false;
    throw err;
  }
};

/** Idempotent: deleting a missing object succeeds. */
export const removeObject = async (key: string): Promise<void> => {
  await s3.send(new DeleteObjectCommand({ Bucket: bucketName, Key: key }));
};
