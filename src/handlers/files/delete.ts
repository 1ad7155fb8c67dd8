import * as z from 'zod';
import { deleteFile } from '../../lib/files/delete-file';
import { noContent } from '../../lib/http/response';
import { tenantRoute } from '../../lib/http/routes';
import { pathId } from '../../lib/http/schemas';

const path = z.object({ tenantId: pathId, fileId: pathId });

/** Open to members (their own uploads); deleting another's file is checked against `files.deleteAny` inside. */
export const handler = tenantRoute('files.deleteOwn', { path }, async ({ caller, path }) => {
  await deleteFile(caller, path.fileId);
  return noContent();
});
