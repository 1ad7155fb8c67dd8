import { noContent } from '../../lib/http/response';
import { apiRoute } from '../../lib/http/routes';
import { revokeSession } from '../../lib/sessions/revoke-session';
import { revokeSessionRoute } from '../../lib/sessions/sessions-api';

export const handler = apiRoute(revokeSessionRoute, async ({ caller, body }) => {
  await revokeSession(caller, body);
  return noContent();
});
