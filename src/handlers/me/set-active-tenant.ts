import * as z from 'zod';
import { ok } from '../../lib/http/response';
import { signedInRoute } from '../../lib/http/routes';
import { pathId } from '../../lib/http/schemas';
import { setActiveTenant } from '../../lib/users/active-tenant';

export const bodySchema = z.strictObject({ tenantId: pathId });

export const handler = signedInRoute({ body: bodySchema }, async ({ caller, body }) => ok(await setActiveTenant(caller, body.tenantId)));
