import { publicRoute } from '../../lib/http/public-route';
import { ok } from '../../lib/http/response';
import { healthRoute, healthSchema } from '../../lib/http/service-api';

export const handler = publicRoute(healthRoute, async () => ok(healthSchema, { status: 'ok' }));
