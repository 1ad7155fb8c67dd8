import { isInboxKey, parseInboxKey } from '../../lib/files/inbox-key';
import { ingestInboxObject } from '../../lib/files/ingest-inbox';
import { IngestGaveUpError, ingestObject } from '../../lib/files/ingest-object';
import { decodeEventKey, parseObjectKey } from '../../lib/files/object-key';
import { type S3Event, type S3EventRecord, s3Trigger } from '../../lib/files/s3-event';
import { appendLogKeys } from '../../lib/log-context';

/**
 * S3 ObjectCreated on `tenants/`, routed by the key's shape: a tenant's inbox
 * (direct uploads with Identity Pool credentials, src/lib/files/ingest-inbox.ts)
 * or a file's key (the CSV ingest, src/lib/files/ingest-object.ts). One
 * notification (prefix `tenants/`) covers both, since S3 filters can only
 * match a prefix and a suffix; each key goes to exactly one of them.
 */
export const ingestFiles = async (event: S3Event): Promise<void> => {
  const gaveUp: string[] = [];
  for (const record of event.Records) {
    if (!record.eventName.startsWith('ObjectCreated:')) continue;
    const key = decodeEventKey(record.s3.object.key);
    if (isInboxKey(key)) {
      await ingestInbox(record, key);
      continue;
    }
    appendLogKeys({ tenantId: parseObjectKey(key)?.tenantId });
    if ((await ingestObject({ bucket: record.s3.bucket.name, key })) === 'gave-up') gaveUp.push(key);
  }
  if (gaveUp.length > 0) throw new IngestGaveUpError(gaveUp);
};

/** A fault throws: Lambda retries the event, then hands it to the failure queue, as for a file's ingest. */
const ingestInbox = async (record: S3EventRecord, key: string): Promise<void> => {
  appendLogKeys({ tenantId: parseInboxKey(key)?.tenantId });
  const { versionId } = record.s3.object;
  // `null` is the version of an object stored while the bucket kept none.
  await ingestInboxObject({ bucket: record.s3.bucket.name, key, ...(versionId && versionId !== 'null' ? { versionId } : {}) });
};

export const handler = s3Trigger(ingestFiles);
