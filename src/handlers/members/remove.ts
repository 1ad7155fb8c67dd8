import * as z from 'zod';
import { noContent } from '../../lib/http/response';
import { tenantRoute } from '../../lib/http/routes';
import { pathId } from '../../lib/http/schemas';
import { removeMember } from '../../lib/members/member-store';
import { assertMayRemove } from '../../lib/members/role-rules';

const path = z.object({ tenantId: pathId, userId: pathId });

export const handler = tenantRoute('members.remove', { path }, async ({ tenant, auth, path, client }) => {
  await removeMember(
    tenant.tenantId,
    path.userId,
    { userId: auth.userId, assertAllowed: (current) => assertMayRemove(tenant.role, current) },
    client,
  );
  return noContent();
});
