import { noContent } from '../../lib/http/response';
import { apiRoute } from '../../lib/http/routes';
import { deleteSso } from '../../lib/sso/configure-sso';
import { deleteSsoRoute } from '../../lib/sso/sso-api';

export const handler = apiRoute(deleteSsoRoute, async ({ caller }) => {
  await deleteSso(caller);
  return noContent();
});
