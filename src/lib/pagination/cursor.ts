import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { ValidationError } from '../errors';

/**
 * List cursors are opaque and tamper-proof: the DynamoDB key to resume from,
 * sealed with AES-256-GCM under a key from stage config, with the tenant and
 * the list as associated data. A cursor from another tenant or another list,
 * an edited one, or one sealed with another key fails to open: 400.
 */
export type CursorScope = { tenantId: string; list: string };
export type ResumeKey = Record<string, unknown>;

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A cursor that is not one of this list's (edited, foreign, or out of place): a 400 like any invalid input. */
export const invalidCursor = (): ValidationError =>
  new ValidationError('The cursor is invalid.', [{ path: 'cursor', message: 'is not a cursor of this list' }]);

const deriveKey = (secret: string): Buffer => Buffer.from(hkdfSync('sha256', secret, 'tenantgate', 'list-cursor-v1', 32));

const aad = (scope: CursorScope) => Buffer.from(`${VERSION}|${scope.tenantId}|${scope.list}`);

export const createCursorCodec = (secret: string) => {
  if (secret.length < 32) throw new Error('The cursor secret must be at least 32 characters.');
  const key = deriveKey(secret);

  return {
    seal: (scope: CursorScope, resumeKey: ResumeKey): string => {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(aad(scope));
      const body = Buffer.concat([cipher.update(JSON.stringify(resumeKey), 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
    },
    open: (scope: CursorScope, cursor: string): ResumeKey => {
      const raw = Buffer.from(cursor, 'base64url');
      if (raw.length <= IV_BYTES + TAG_BYTES || raw.toString('base64url') !== cursor) throw invalidCursor();
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
        decipher.setAAD(aad(scope));
        decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
        const text = Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
        const parsed = JSON.parse(text) as unknown;
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not a key');
        return parsed as ResumeKey;
      } catch {
        throw invalidCursor();
      }
    },
  };
};

export type CursorCodec = ReturnType<typeof createCursorCodec>;
