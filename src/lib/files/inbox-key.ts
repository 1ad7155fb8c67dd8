import { isIdentityId } from '../users/identity-id';
import { isKeyId } from './object-key';

/**
 * Keys of a tenant's inbox, as pure functions: where apps upload straight to
 * S3 with Identity Pool credentials, `tenants/{tenantId}/inbox/{identityId}/{name}`
 * (the role lets a member write only under their tenant's inbox and their own
 * identity id). The ingest registers such an object as a file of the tenant
 * and moves it under `tenants/{tenantId}/files/{fileId}` (ingest-inbox.ts).
 */

const INBOX_PREFIX = /^tenants\/[^/]*\/inbox\//;
const INBOX_KEY = /^tenants\/([^/]*)\/inbox\/([^/]*)\/(.*)$/s;

/** Whether a key is under some tenant's inbox: such an object is the inbox ingest's, well-formed or not. */
export const isInboxKey = (key: string): boolean => INBOX_PREFIX.test(key);

export type InboxRef = {
  key: string;
  tenantId: string;
  identityId: string;
  /** The key's last segment: the file's name, cleaned and checked as a declared upload's is. */
  name: string;
  /** Set when the path below the identity is not a plain name (empty, `.` or `..` segments): the upload is rejected for it. */
  pathProblem?: string;
};

export const INBOX_PATH_PROBLEM = 'The upload path has an empty, "." or ".." segment, or no file name.';

/**
 * The tenant, identity and name of an inbox key; undefined when the tenant or
 * identity segment is not an id (nobody to attribute the object to). A path
 * below the identity with empty, `.` or `..` segments is reported, not trusted.
 */
export const parseInboxKey = (key: string): InboxRef | undefined => {
  const match = INBOX_KEY.exec(key);
  const [, tenantId, identityId, rest] = match ?? [];
  if (tenantId === undefined || identityId === undefined || rest === undefined) return undefined;
  if (!isKeyId(tenantId) || !isIdentityId(identityId)) return undefined;
  const segments = rest.split('/');
  const name = segments.at(-1) ?? '';
  const plain = segments.every((segment) => segment !== '' && segment !== '.' && segment !== '..');
  return { key, tenantId, identityId, name, ...(plain ? {} : { pathProblem: INBOX_PATH_PROBLEM }) };
};
