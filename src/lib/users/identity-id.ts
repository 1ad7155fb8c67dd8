/**
 * Cognito identity ids (Identity Pool) are `<region>:<uuid>`, at most 55
 * characters. Pure, so the inbox ingest can check a key's identity segment
 * without loading the identity pool's client or config.
 */
const IDENTITY_ID = /^[\w-]+:[0-9a-f-]+$/;
const IDENTITY_ID_MAX_LENGTH = 55;

export const isIdentityId = (value: string): boolean => value.length <= IDENTITY_ID_MAX_LENGTH && IDENTITY_ID.test(value);
