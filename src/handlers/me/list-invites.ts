import { ok } from '../../lib/http/response';
import { signedInRoute } from '../../lib/http/routes';
import { listInvitesOfEmail } from '../../lib/invites/invite-queries';
import { listQuerySchema } from '../../lib/pagination/list-query';
import { verifiedEmailOf } from '../../lib/users/user-store';

export const handler = signedInRoute({ query: listQuerySchema }, async ({ auth, query }) =>
  ok(await listInvitesOfEmail(await verifiedEmailOf(auth.userId), auth.userId, query)),
);
