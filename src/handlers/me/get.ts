import { ok } from '../../lib/http/response';
import { signedInRoute } from '../../lib/http/routes';
import { describeMe } from '../../lib/users/me';

export const handler = signedInRoute({}, async ({ caller }) => ok(await describeMe(caller)));
