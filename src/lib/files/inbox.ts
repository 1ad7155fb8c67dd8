import { can } from '../auth/permissions';
import type { Role } from '../auth/roles';
import { cleanFileName, type Declaration, type DeclarationRules, declarationSchema } from './file';

/**
 * The pure rules of the inbox ingest: whose upload an inbox object is and
 * whether they may upload into that tenant, and whether the object passes the
 * rules a declared upload must (the same schema, so the two cannot drift).
 * No I/O here.
 */

/** What the table says about an inbox object's tenant and uploader. */
export type InboxFacts = {
  tenantExists: boolean;
  /** The user who registered the key's identity id (PUT /me/storage-identity). */
  ownerId: string | undefined;
  /** That user's current role in the tenant, as the API reads it; undefined if not a member. */
  role: Role | undefined;
};

/** Why an object was refused: codes for the audit log, where an admin reads them. */
export const REFUSALS = {
  unknownIdentity: 'unknown-identity',
  notAMember: 'not-a-member',
  mayNotUpload: 'role-may-not-upload',
} as const;

export type Refusal = (typeof REFUSALS)[keyof typeof REFUSALS];

/** `discard`: no such tenant, so nobody to tell and nothing to audit in; the object is deleted and logged. */
export type InboxDecision =
  | { kind: 'discard' }
  | { kind: 'refuse'; reason: Refusal; userId: string | undefined }
  | { kind: 'accept'; userId: string };

/** Only a current member who may create files (member and above) uploads; as POST /tenants/{t}/files decides. */
export const decideInbox = (facts: InboxFacts): InboxDecision => {
  if (!facts.tenantExists) return { kind: 'discard' };
  if (!facts.ownerId) return { kind: 'refuse', reason: REFUSALS.unknownIdentity, userId: undefined };
  if (!facts.role) return { kind: 'refuse', reason: REFUSALS.notAMember, userId: facts.ownerId };
  if (!can(facts.role, 'files.create')) return { kind: 'refuse', reason: REFUSALS.mayNotUpload, userId: facts.ownerId };
  return { kind: 'accept', userId: facts.ownerId };
};

/** What S3 says about an inbox object, and the name its key gives it. */
export type InboxObjectFacts = { name: string; contentType: string | undefined; size: number; pathProblem?: string };

/** A file row's fields when the object fails the rules: shown to the uploader beside the reason. */
export type ShownFile = { name: string; contentType: string; size: number };

export type InboxCheck = { ok: true; declaration: Declaration } | { ok: false; reason: string; shown: ShownFile };

/** The media type alone: a `; charset=…` parameter says nothing the CSV check does not verify itself. */
const mediaType = (contentType: string | undefined): string => (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';

const reasonFor = (field: PropertyKey | undefined, object: InboxObjectFacts, rules: DeclarationRules): string => {
  if (field === 'size') return `The file is ${object.size} bytes; the most an upload may have is ${rules.maxBytes}.`;
  if (field === 'contentType') {
    const type = mediaType(object.contentType) || 'none';
    return `The upload's content type (${type}) is not allowed; allowed: ${rules.allowedTypes.join(', ')}.`;
  }
  return 'The file name has no usable characters.';
};

/**
 * The rules of a declared upload (declarationSchema: name, content type,
 * size), applied to the object that is already there: its key's name, its
 * Content-Type and its size.
 */
export const checkInboxObject = (object: InboxObjectFacts, rules: DeclarationRules): InboxCheck => {
  const shown: ShownFile = {
    name: cleanFileName(object.name) || 'unnamed',
    contentType: mediaType(object.contentType) || 'application/octet-stream',
    size: object.size,
  };
  if (object.pathProblem) return { ok: false, reason: object.pathProblem, shown };
  const parsed = declarationSchema(rules).safeParse({ name: object.name, contentType: mediaType(object.contentType), size: object.size });
  if (parsed.success) return { ok: true, declaration: parsed.data };
  const fields = [...new Set(parsed.error.issues.map((issue) => issue.path[0]))];
  return { ok: false, reason: fields.map((field) => reasonFor(field, object, rules)).join(' '), shown };
};
