import * as z from 'zod';
import { created } from '../../lib/http/response';
import { platformAdminRoute } from '../../lib/http/routes';
import { emailSchema } from '../../lib/invites/invite';
import { createTenant } from '../../lib/tenants/create-tenant';
import { tenantNameSchema } from '../../lib/tenants/tenant';

export const bodySchema = z.strictObject({ name: tenantNameSchema, ownerEmail: emailSchema });

export const handler = platformAdminRoute({ body: bodySchema }, async ({ body, auth, client }) => {
  const { tenant, invite } = await createTenant({ name: body.name, ownerEmail: body.ownerEmail, actorId: auth.userId }, new Date(), client);
  return created({ tenant, invite });
});
