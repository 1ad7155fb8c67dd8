import * as z from 'zod';
import { created } from '../../lib/http/response';
import { platformAdminRoute } from '../../lib/http/routes';
import { emailSchema } from '../../lib/invites/invite';
import { createTenant } from '../../lib/tenants/create-tenant';
import { tenantNameSchema } from '../../lib/tenants/tenant';

export const bodySchema = z.strictObject({ name: tenantNameSchema, ownerEmail: emailSchema });

/** Answers the tenant and the owner's invite; the invite's code goes by email only. */
export const handler = platformAdminRoute({ body: bodySchema }, async ({ caller, body }) => {
  const { tenant, invite } = await createTenant(caller, body);
  return created({ tenant, invite });
});
