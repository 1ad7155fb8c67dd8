import { deleteFile } from '../../lib/files/delete-file';
import { deleteFileRoute } from '../../lib/files/files-api';
import { noContent } from '../../lib/http/response';
import { apiRoute } from '../../lib/http/routes';

/** Open to members (their own uploads); deleting another's file is checked against `files.deleteAny` inside. */
export const handler = apiRoute(deleteFileRoute, async ({ caller, path }) => {
  await deleteFile(caller, path.fileId);
  return noContent();
});
