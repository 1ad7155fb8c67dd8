import { created } from '../../lib/http/response';
import { apiRoute } from '../../lib/http/routes';
import { acceptInviteForUser } from '../../lib/invites/accept-invite';
import { acceptMyInviteRoute, membershipSchema } from '../../lib/users/me-api';

export const handler = apiRoute(acceptMyInviteRoute, async ({ caller, path }) =>
  created(membershipSchema, await acceptInviteForUser(caller, path.inviteId)),
);
