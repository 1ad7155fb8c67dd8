import { describe, expect, it } from 'vitest';
import { DEFAULT_DECLARATION_RULES } from '../../../../src/lib/files/file';
import { checkInboxObject, decideInbox, REFUSALS } from '../../../../src/lib/files/inbox';
import { INBOX_PATH_PROBLEM } from '../../../../src/lib/files/inbox-key';

const rules = { maxBytes: 1000, allowedTypes: ['text/csv', 'application/vnd.ms-excel'] };

describe('decideInbox', () => {
  it('accepts the upload of a member, an admin and an owner as theirs', () => {
    for (const role of ['member', 'admin', 'owner'] as const) {
      expect(decideInbox({ tenantExists: true, ownerId: 'user-1', role })).toEqual({ kind: 'accept', userId: 'user-1' });
    }
  });

  it('refuses the upload of a viewer', () => {
    expect(decideInbox({ tenantExists: true, ownerId: 'user-1', role: 'viewer' })).toEqual({
      kind: 'refuse',
      reason: REFUSALS.mayNotUpload,
      userId: 'user-1',
    });
  });

  it('refuses the upload of a user who is not a member of the tenant', () => {
    expect(decideInbox({ tenantExists: true, ownerId: 'user-1', role: undefined })).toEqual({
      kind: 'refuse',
      reason: REFUSALS.notAMember,
      userId: 'user-1',
    });
  });

  it('refuses an identity nobody registered, naming no user', () => {
    expect(decideInbox({ tenantExists: true, ownerId: undefined, role: undefined })).toEqual({
      kind: 'refuse',
      reason: REFUSALS.unknownIdentity,
      userId: undefined,
    });
  });

  it('discards an object of a tenant that does not exist, whoever wrote it', () => {
    expect(decideInbox({ tenantExists: false, ownerId: 'user-1', role: 'owner' })).toEqual({ kind: 'discard' });
  });
});

describe('checkInboxObject', () => {
  it('passes an object a declared upload could have been, with the declaration cleaned as POST /files cleans it', () => {
    expect(checkInboxObject({ name: ' scores\u202e.csv ', contentType: 'Text/CSV', size: 1000 }, rules)).toEqual({
      ok: true,
      declaration: { name: 'scores.csv', contentType: 'text/csv', size: 1000 },
    });
  });

  it('reads the media type without its parameters', () => {
    expect(checkInboxObject({ name: 'a.csv', contentType: 'text/csv; charset=utf-8', size: 3 }, rules)).toMatchObject({
      ok: true,
      declaration: { contentType: 'text/csv' },
    });
  });

  it('rejects an object over the size limit, saying so', () => {
    expect(checkInboxObject({ name: 'big.csv', contentType: 'text/csv', size: 1001 }, rules)).toEqual({
      ok: false,
      reason: 'The file is 1001 bytes; the most an upload may have is 1000.',
      shown: { name: 'big.csv', contentType: 'text/csv', size: 1001 },
    });
  });

  it('rejects a content type the stage does not allow, and one that is missing', () => {
    expect(checkInboxObject({ name: 'photo.png', contentType: 'image/png', size: 10 }, rules)).toMatchObject({
      ok: false,
      reason: "The upload's content type (image/png) is not allowed; allowed: text/csv, application/vnd.ms-excel.",
      shown: { contentType: 'image/png' },
    });
    expect(checkInboxObject({ name: 'a.csv', contentType: undefined, size: 10 }, DEFAULT_DECLARATION_RULES)).toMatchObject({
      ok: false,
      reason: "The upload's content type (none) is not allowed; allowed: text/csv.",
      shown: { contentType: 'application/octet-stream' },
    });
  });

  it('rejects a name with nothing usable in it', () => {
    expect(checkInboxObject({ name: '...', contentType: 'text/csv', size: 10 }, rules)).toMatchObject({
      ok: false,
      reason: 'The file name has no usable characters.',
      shown: { name: 'unnamed' },
    });
  });

  it('gives every broken rule its sentence', () => {
    const check = checkInboxObject({ name: 'a.bin', contentType: 'application/zip', size: 5000 }, rules);
    expect(check.ok).toBe(false);
    expect(!check.ok && check.reason).toBe(
      "The upload's content type (application/zip) is not allowed; allowed: text/csv, application/vnd.ms-excel. The file is 5000 bytes; the most an upload may have is 1000.",
    );
  });

  it('rejects a path problem of the key before anything else', () => {
    expect(checkInboxObject({ name: 'a.csv', contentType: 'text/csv', size: 1, pathProblem: INBOX_PATH_PROBLEM }, rules)).toEqual({
      ok: false,
      reason: INBOX_PATH_PROBLEM,
      shown: { name: 'a.csv', contentType: 'text/csv', size: 1 },
    });
  });
});
