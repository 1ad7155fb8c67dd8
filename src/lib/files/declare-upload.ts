import type { TenantCaller } from '../auth/caller';
import { type Declaration, type FileView, newFileId, pendingTtl, type StoredFile, toFileView } from './file';
import { putPendingFile } from './file-store';
import { objectKey } from './object-key';
import { presignUpload, type UploadTicket } from './presign';

/**
 * Declares an upload: a `pending` file under a server-generated id, and a
 * presigned PUT for exactly that key, type and size. The declaration expires
 * (DynamoDB TTL) a day after the URL does if no object arrives.
 */
export const declareUpload = async (
  caller: TenantCaller,
  declaration: Declaration,
  now: Date = new Date(),
): Promise<{ file: FileView; upload: UploadTicket }> => {
  const { tenantId } = caller;
  const fileId = newFileId(now);
  const upload = await presignUpload(objectKey(tenantId, fileId), declaration, now);
  const file: StoredFile = {
    tenantId,
    fileId,
    name: declaration.name,
    contentType: declaration.contentType,
    size: declaration.size,
    status: 'pending',
    uploadedBy: caller.userId,
    createdAt: now.toISOString(),
    ttl: pendingTtl(new Date(upload.expiresAt)),
    client: { ...(caller.ip ? { ip: caller.ip } : {}), ...(caller.userAgent ? { userAgent: caller.userAgent } : {}) },
  };
  await putPendingFile(file);
  return { file: toFileView(file), upload };
};
