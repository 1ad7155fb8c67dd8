import * as z from 'zod';
import { roleSchema } from '../../lib/auth/roles';
import { ok } from '../../lib/http/response';
import { tenantRoute } from '../../lib/http/routes';
import { pathId } from '../../lib/http/schemas';
import { changeMemberRole } from '../../lib/members/member-store';

export const bodySchema = z.strictObject({ role: roleSchema });
const path = z.object({ tenantId: pathId, userId: pathId });

/** Only an owner grants or removes `owner`, and the last owner stays one (src/lib/members). */
export const handler = tenantRoute('members.update', { path, body: bodySchema }, async ({ caller, path, body }) =>
  ok(await changeMemberRole(caller, path.userId, body.role)),
);
