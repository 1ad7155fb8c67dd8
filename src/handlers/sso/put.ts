import { created, ok } from '../../lib/http/response';
import { apiRoute } from '../../lib/http/routes';
import { configureSso } from '../../lib/sso/configure-sso';
import { putSsoRoute } from '../../lib/sso/sso-api';
import { ssoConfigSchema } from '../../lib/sso/sso-config';

/** 201 when the tenant had no SSO yet, 200 when it changed it; never the client secret (the schema has no field for it). */
export const handler = apiRoute(putSsoRoute, async ({ caller, body }) => {
  const { config, created: isNew } = await configureSso(caller, body);
  return isNew ? created(ssoConfigSchema, config) : ok(ssoConfigSchema, config);
});
