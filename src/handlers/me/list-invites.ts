import { ok } from '../../lib/http/response';
import { apiRoute } from '../../lib/http/routes';
import { listMyInvites } from '../../lib/invites/invite-queries';
import { myInvitePageSchema } from '../../lib/invites/invites-api';
import { listMyInvitesRoute } from '../../lib/users/me-api';

export const handler = apiRoute(listMyInvitesRoute, async ({ caller, query }) =>
  ok(myInvitePageSchema, await listMyInvites(caller, query)),
);
