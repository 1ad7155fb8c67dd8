import * as z from 'zod';
import { noContent } from '../../lib/http/response';
import { tenantRoute } from '../../lib/http/routes';
import { pathId } from '../../lib/http/schemas';
import { removeMember } from '../../lib/members/member-store';

const path = z.object({ tenantId: pathId, userId: pathId });

/** Owners are removed only by owners, and never the last one (src/lib/members). */
export const handler = tenantRoute('members.remove', { path }, async ({ caller, path }) => {
  await removeMember(caller, path.userId);
  return noContent();
});
