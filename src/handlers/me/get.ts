import { ok } from '../../lib/http/response';
import { apiRoute } from '../../lib/http/routes';
import { describeMe } from '../../lib/users/me';
import { getMeRoute, meSchema } from '../../lib/users/me-api';

export const handler = apiRoute(getMeRoute, async ({ caller }) => ok(meSchema, await describeMe(caller)));
