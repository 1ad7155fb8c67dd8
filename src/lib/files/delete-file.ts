import type { TenantCaller } from '../auth/caller';
import { assertMayDelete } from './file';
import { deleteFileRecord, getFile } from './file-store';
import { objectKey } from './object-key';
import { removeObject } from './object-store';

/**
 * Deletes a file of the caller's tenant: the object first, then the metadata
 * with its `file.deleted` audit event in one transaction. In this order a
 * fault in between leaves the metadata in place, so the same DELETE can be
 * repeated and finishes the job (deleting a missing object succeeds); the
 * other order could leave bytes with no metadata that no API call can reach.
 * An upload still landing after the delete finds no declaration, and the
 * ingest deletes it. Every key comes from the caller's tenant.
 */
export const deleteFile = async (caller: TenantCaller, fileId: string, now: Date = new Date()): Promise<void> => {
  const file = await getFile(caller.tenantId, fileId, now);
  assertMayDelete({ userId: caller.userId, role: caller.role }, file);
  await removeObject(objectKey(caller.tenantId, file.fileId));
  await deleteFileRecord(caller, file, now);
};
