import * as z from 'zod';
import { roleSchema } from '../../lib/auth/roles';
import { created } from '../../lib/http/response';
import { tenantRoute } from '../../lib/http/routes';
import { tenantPath } from '../../lib/http/schemas';
import { createInvite } from '../../lib/invites/create-invite';
import { emailSchema } from '../../lib/invites/invite';
import { assertMayInviteAs } from '../../lib/members/role-rules';

export const bodySchema = z.strictObject({ email: emailSchema, role: roleSchema });

export const handler = tenantRoute('invites.create', { path: tenantPath, body: bodySchema }, async ({ tenant, auth, body, client }) => {
  assertMayInviteAs(tenant.role, body.role);
  const invite = await createInvite(tenant.tenantId, body, auth.userId, client);
  return created({ inviteId: invite.inviteId, email: invite.email, role: invite.role, expiresAt: invite.expiresAt });
});
