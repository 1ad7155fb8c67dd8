import { ok } from '../../lib/http/response';
import { signedInRoute } from '../../lib/http/routes';
import { listMyInvites } from '../../lib/invites/invite-queries';
import { listQuerySchema } from '../../lib/pagination/list-query';

export const handler = signedInRoute({ query: listQuerySchema }, async ({ caller, query }) => ok(await listMyInvites(caller, query)));
