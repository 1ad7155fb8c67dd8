import * as z from 'zod';
import { created } from '../../lib/http/response';
import { signedInRoute } from '../../lib/http/routes';
import { pathId } from '../../lib/http/schemas';
import { acceptInviteForUser } from '../../lib/invites/accept-invite';
import { verifiedEmailOf } from '../../lib/users/user-store';

const path = z.object({ inviteId: pathId });

export const handler = signedInRoute({ path }, async ({ auth, path, client }) => {
  const email = await verifiedEmailOf(auth.userId);
  return created(await acceptInviteForUser({ userId: auth.userId, email }, path.inviteId, client));
});
