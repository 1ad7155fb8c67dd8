import * as z from 'zod';
import { validatedEventHandler } from '../validated-event';

/**
 * The S3 event notification the ingest handles (one record per delivery on
 * AWS; a list all the same). It checks what the code relies on and lets the
 * rest through.
 */
export const s3EventRecordSchema = z.looseObject({
  eventSource: z.literal('aws:s3'),
  eventName: z.string().min(1),
  s3: z.looseObject({
    bucket: z.looseObject({ name: z.string().min(1) }),
    object: z.looseObject({
      key: z.string().min(1),
      size: z.number().int().nonnegative().optional(),
      eTag: z.string().optional(),
      /** On a versioned bucket: the version this event is about. */
      versionId: z.string().optional(),
      sequencer: z.string().optional(),
    }),
  }),
});

export const s3EventSchema = z.looseObject({ Records: z.array(s3EventRecordSchema).min(1) });
export type S3EventRecord = z.infer<typeof s3EventRecordSchema>;
export type S3Event = z.infer<typeof s3EventSchema>;

/**
 * The Middy chain of an S3-triggered function: validate the event, then run
 * the core. A malformed event or a fault fails the invocation, and Lambda
 * retries it (asynchronous invocation), so the core must be idempotent.
 */
export const s3Trigger = (core: (event: S3Event) => Promise<void>) => validatedEventHandler(s3EventSchema, 'S3 event', core);
