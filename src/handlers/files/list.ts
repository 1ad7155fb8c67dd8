import { listFiles } from '../../lib/files/file-queries';
import { filePageSchema, listFilesRoute } from '../../lib/files/files-api';
import { ok } from '../../lib/http/response';
import { apiRoute } from '../../lib/http/routes';

export const handler = apiRoute(listFilesRoute, async ({ caller, query }) => ok(filePageSchema, await listFiles(caller.tenantId, query)));
