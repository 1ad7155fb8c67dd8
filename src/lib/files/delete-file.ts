import { assertMayDelete, type FileActor } from './file';
import { deleteFileRecord, getFile } from './file-store';
import { objectKey } from './object-key';
import { removeObject } from './object-store';

type Meta = { ip?: string; userAgent?: string };

/**
 * Deletes a file: the object first, then the metadata with its `file.deleted`
 * audit event in one transaction. In this order a fault in between leaves
 * the metadata in place, so the same DELETE can be repeated and finishes the
 * job (deleting a missing object succeeds); the other order could leave
 * bytes with no metadata that no API call can reach. An upload still landing
 * after the delete finds no declaration, and the ingest deletes it.
 */
export const deleteFile = async (tenantId: string, fileId: string, actor: FileActor, meta: Meta, now: Date = new Date()): Promise<void> => {
  const file = await getFile(tenantId, fileId, now);
  assertMayDelete(actor, file);
  await removeObject(objectKey(tenantId, file.fileId));
  await deleteFileRecord(file, actor.userId, meta, now);
};
