import * as z from 'zod';
import { created } from '../../lib/http/response';
import { signedInRoute } from '../../lib/http/routes';
import { pathId } from '../../lib/http/schemas';
import { acceptInviteForUser } from '../../lib/invites/accept-invite';

const path = z.object({ inviteId: pathId });

export const handler = signedInRoute({ path }, async ({ caller, path }) => created(await acceptInviteForUser(caller, path.inviteId)));
