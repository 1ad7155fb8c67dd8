import { ok } from '../../lib/http/response';
import { tenantRoute } from '../../lib/http/routes';
import { tenantPath } from '../../lib/http/schemas';
import { listMembers } from '../../lib/members/member-queries';
import { listQuerySchema } from '../../lib/pagination/list-query';

export const handler = tenantRoute('members.list', { path: tenantPath, query: listQuerySchema }, async ({ caller, query }) =>
  ok(await listMembers(caller.tenantId, query)),
);
