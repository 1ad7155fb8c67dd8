import { ok } from '../../lib/http/response';
import { apiRoute } from '../../lib/http/routes';
import { getSsoRoute } from '../../lib/sso/sso-api';
import { ssoConfigSchema } from '../../lib/sso/sso-config';
import { readSso } from '../../lib/sso/sso-store';

export const handler = apiRoute(getSsoRoute, async ({ caller }) => ok(ssoConfigSchema, await readSso(caller)));
