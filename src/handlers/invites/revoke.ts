import * as z from 'zod';
import { noContent } from '../../lib/http/response';
import { tenantRoute } from '../../lib/http/routes';
import { pathId } from '../../lib/http/schemas';
import { revokeInvite } from '../../lib/invites/revoke-invite';

const path = z.object({ tenantId: pathId, inviteId: pathId });

export const handler = tenantRoute('invites.revoke', { path }, async ({ caller, path }) => {
  await revokeInvite(caller, path.inviteId);
  return noContent();
});
