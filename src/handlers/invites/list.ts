import { ok } from '../../lib/http/response';
import { tenantRoute } from '../../lib/http/routes';
import { tenantPath } from '../../lib/http/schemas';
import { listTenantInvites } from '../../lib/invites/invite-queries';
import { listQuerySchema } from '../../lib/pagination/list-query';

export const handler = tenantRoute('invites.list', { path: tenantPath, query: listQuerySchema }, async ({ caller, query }) =>
  ok(await listTenantInvites(caller.tenantId, query)),
);
