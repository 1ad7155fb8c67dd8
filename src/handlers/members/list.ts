import { ok } from '../../lib/http/response';
import { apiRoute } from '../../lib/http/routes';
import { listMembers } from '../../lib/members/member-queries';
import { listMembersRoute, memberPageSchema } from '../../lib/members/members-api';

export const handler = apiRoute(listMembersRoute, async ({ caller, query }) =>
  ok(memberPageSchema, await listMembers(caller.tenantId, query)),
);
