import { ok } from '../../lib/http/response';
import { apiRoute } from '../../lib/http/routes';
import { listTenantInvites } from '../../lib/invites/invite-queries';
import { invitePageSchema, listInvitesRoute } from '../../lib/invites/invites-api';

export const handler = apiRoute(listInvitesRoute, async ({ caller, query }) =>
  ok(invitePageSchema, await listTenantInvites(caller.tenantId, query)),
);
