/**
 * S3 object keys of tenant files, as pure functions. Like the DynamoDB keys,
 * a key takes the tenant id first and is built only from the verified tenant
 * context and a server-generated file id, never from client input.
 */
export const FILES_PREFIX = 'tenants/';

/** Tenant ids are UUIDs and file ids UUIDv7; anything else in a key is not ours. */
const ID = '[0-9A-Za-z-]{1,64}';
const KEY_PATTERN = new RegExp(`^tenants/(${ID})/files/(${ID})$`);

/** Whether a key segment may be a tenant or file id at all. */
export const isKeyId = (segment: string): boolean => new RegExp(`^${ID}$`).test(segment);

export type ObjectRef = { tenantId: string; fileId: string };

export const objectKey = (tenantId: string, fileId: string): string => {
  const key = `${FILES_PREFIX}${tenantId}/files/${fileId}`;
  // A defect elsewhere must not turn into a path outside the tenant's prefix.
  if (!KEY_PATTERN.test(key)) throw new Error('Refusing to build an object key from a malformed id.');
  return key;
};

/** The tenant and file of an object key, or undefined when the key is not a tenant file's. */
export const parseObjectKey = (key: string): ObjectRef | undefined => {
  const match = KEY_PATTERN.exec(key);
  return match?.[1] && match[2] ? { tenantId: match[1], fileId: match[2] } : undefined;
};

/** S3 event notifications URL-encode the key, with `+` for a space. */
export const decodeEventKey = (key: string): string => decodeURIComponent(key.replace(/\+/g, ' '));

/**
 * Every upload is tagged `pending` by its presigned PUT and re-tagged `done`
 * by the ingest once the file is ready. The bucket's lifecycle rule expires
 * objects still tagged `pending` (resources/s3.yml), so an object whose ingest
 * never succeeded does not outlive its declaration for long.
 */
export const INGEST_TAG_KEY = 'tenantgate-ingest';
export const PENDING_TAGGING = `${INGEST_TAG_KEY}=pending`;
export const DONE_TAG = { Key: INGEST_TAG_KEY, Value: 'done' };
