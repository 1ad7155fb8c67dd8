import * as z from 'zod';
import { roleSchema } from '../../lib/auth/roles';
import { ok } from '../../lib/http/response';
import { tenantRoute } from '../../lib/http/routes';
import { pathId } from '../../lib/http/schemas';
import { changeMemberRole } from '../../lib/members/member-store';
import { assertMayChangeRole } from '../../lib/members/role-rules';

export const bodySchema = z.strictObject({ role: roleSchema });
const path = z.object({ tenantId: pathId, userId: pathId });

export const handler = tenantRoute('members.update', { path, body: bodySchema }, async ({ tenant, auth, path, body, client }) => {
  const member = await changeMemberRole(
    tenant.tenantId,
    path.userId,
    body.role,
    { userId: auth.userId, assertAllowed: (current) => assertMayChangeRole(tenant.role, current, body.role) },
    client,
  );
  return ok(member);
});
