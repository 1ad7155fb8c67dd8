import { created } from '../../lib/http/response';
import { apiRoute } from '../../lib/http/routes';
import { createInvite } from '../../lib/invites/create-invite';
import { createdInviteSchema, createInviteRoute } from '../../lib/invites/invites-api';

/** The invite's code goes to the invitee by email only: the schema answers the invite's id, email, role and expiry. */
export const handler = apiRoute(createInviteRoute, async ({ caller, body }) =>
  created(createdInviteSchema, (await createInvite(caller, body)).invite),
);
