import { noContent } from '../../lib/http/response';
import { apiRoute } from '../../lib/http/routes';
import { removeMember } from '../../lib/members/member-store';
import { removeMemberRoute } from '../../lib/members/members-api';

/** Owners are removed only by owners, and never the last one (src/lib/members). */
export const handler = apiRoute(removeMemberRoute, async ({ caller, path }) => {
  await removeMember(caller, path.userId);
  return noContent();
});
