import { IngestGaveUpError, ingestObject } from '../../lib/files/ingest-object';
import { decodeEventKey, parseObjectKey } from '../../lib/files/object-key';
import { type S3Event, s3Trigger } from '../../lib/files/s3-event';
import { appendLogKeys } from '../../lib/log-context';

/** S3 ObjectCreated on `tenants/` → the CSV ingest (src/lib/files/ingest-object.ts). */
export const ingestFiles = async (event: S3Event): Promise<void> => {
  const gaveUp: string[] = [];
  for (const record of event.Records) {
    if (!record.eventName.startsWith('ObjectCreated:')) continue;
    const key = decodeEventKey(record.s3.object.key);
    appendLogKeys({ tenantId: parseObjectKey(key)?.tenantId });
    if ((await ingestObject({ bucket: record.s3.bucket.name, key })) === 'gave-up') gaveUp.push(key);
  }
  if (gaveUp.length > 0) throw new IngestGaveUpError(gaveUp);
};

export const handler = s3Trigger(ingestFiles);
