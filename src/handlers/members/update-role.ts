import { ok } from '../../lib/http/response';
import { apiRoute } from '../../lib/http/routes';
import { changeMemberRole } from '../../lib/members/member-store';
import { memberSchema, updateMemberRoleRoute } from '../../lib/members/members-api';

/** Only an owner grants or removes `owner`, and the last owner stays one (src/lib/members). */
export const handler = apiRoute(updateMemberRoleRoute, async ({ caller, path, body }) =>
  ok(memberSchema, await changeMemberRole(caller, path.userId, body.role)),
);
