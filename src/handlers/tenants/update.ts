import * as z from 'zod';
import { ok } from '../../lib/http/response';
import { tenantRoute } from '../../lib/http/routes';
import { tenantPath } from '../../lib/http/schemas';
import { tenantNameSchema } from '../../lib/tenants/tenant';
import { renameTenant } from '../../lib/tenants/tenant-store';

export const bodySchema = z.strictObject({ name: tenantNameSchema });

export const handler = tenantRoute('tenant.update', { path: tenantPath, body: bodySchema }, async ({ caller, body }) =>
  ok(await renameTenant(caller, body.name)),
);
