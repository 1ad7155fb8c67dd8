import { type Declaration, type FileView, newFileId, pendingTtl, type StoredFile, toFileView } from './file';
import { putPendingFile } from './file-store';
import { objectKey } from './object-key';
import { presignUpload, type UploadTicket } from './presign';

type Meta = { ip?: string; userAgent?: string };

/**
 * Declares an upload: a `pending` file under a server-generated id, and a
 * presigned PUT for exactly that key, type and size. The declaration expires
 * (DynamoDB TTL) a day after the URL does if no object arrives.
 */
export const declareUpload = async (
  tenantId: string,
  declaration: Declaration,
  uploadedBy: string,
  client: Meta,
  now: Date = new Date(),
): Promise<{ file: FileView; upload: UploadTicket }> => {
  const fileId = newFileId(now);
  const upload = await presignUpload(objectKey(tenantId, fileId), declaration, now);
  const file: StoredFile = {
    tenantId,
    fileId,
    name: declaration.name,
    contentType: declaration.contentType,
    size: declaration.size,
    status: 'pending',
    uploadedBy,
    createdAt: now.toISOString(),
    ttl: pendingTtl(new Date(upload.expiresAt)),
    client,
  };
  await putPendingFile(file);
  return { file: toFileView(file), upload };
};
