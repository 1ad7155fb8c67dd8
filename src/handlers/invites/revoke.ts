import { noContent } from '../../lib/http/response';
import { apiRoute } from '../../lib/http/routes';
import { revokeInviteRoute } from '../../lib/invites/invites-api';
import { revokeInvite } from '../../lib/invites/revoke-invite';

export const handler = apiRoute(revokeInviteRoute, async ({ caller, path }) => {
  await revokeInvite(caller, path.inviteId);
  return noContent();
});
