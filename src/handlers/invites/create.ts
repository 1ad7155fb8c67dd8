import * as z from 'zod';
import { roleSchema } from '../../lib/auth/roles';
import { created } from '../../lib/http/response';
import { tenantRoute } from '../../lib/http/routes';
import { tenantPath } from '../../lib/http/schemas';
import { createInvite } from '../../lib/invites/create-invite';
import { emailSchema } from '../../lib/invites/invite';

export const bodySchema = z.strictObject({ email: emailSchema, role: roleSchema });

/** The invite's code goes to the invitee by email only: the API never returns it. */
export const handler = tenantRoute('invites.create', { path: tenantPath, body: bodySchema }, async ({ caller, body }) => {
  const { invite } = await createInvite(caller, body);
  return created({ inviteId: invite.inviteId, email: invite.email, role: invite.role, expiresAt: invite.expiresAt });
});
