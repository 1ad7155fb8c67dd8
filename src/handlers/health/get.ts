import { publicRoute } from '../../lib/http/public-route';
import { ok } from '../../lib/http/response';

export const handler = publicRoute(async () => ok({ status: 'ok' }));
