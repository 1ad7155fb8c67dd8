import { listFiles } from '../../lib/files/file-queries';
import { ok } from '../../lib/http/response';
import { tenantRoute } from '../../lib/http/routes';
import { tenantPath } from '../../lib/http/schemas';
import { listQuerySchema } from '../../lib/pagination/list-query';

export const handler = tenantRoute('files.list', { path: tenantPath, query: listQuerySchema }, async ({ caller, query }) =>
  ok(await listFiles(caller.tenantId, query)),
);
