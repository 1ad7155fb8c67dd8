import { z } from 'zod';
import { emailSchema } from '../../../src/lib/invites/invite';
import { createTenant } from '../../../src/lib/tenants/create-tenant';
import { tenantNameSchema } from '../../../src/lib/tenants/tenant';
import { parseOptions } from './cli-input';

const inputSchema = z.object({ name: tenantNameSchema, owner: emailSchema });

export const createTenantCommand = async (args: { name?: string; owner?: string; json: boolean; actorId: string }) => {
  const input = parseOptions(inputSchema, { name: args.name, owner: args.owner });
  const { tenant, invite } = await createTenant({ name: input.name, ownerEmail: input.owner, actorId: args.actorId });
  if (args.json) {
    console.log(
      JSON.stringify({
        tenant: { tenantId: tenant.tenantId, name: tenant.name },
        invite: { inviteId: invite.inviteId, email: invite.email, role: invite.role, expiresAt: invite.expiresAt },
      }),
    );
    return;
  }
  console.log(`Created tenant "${tenant.name}" (${tenant.tenantId}).
Invited ${invite.email} as ${invite.role} (invite ${invite.inviteId}, expires ${invite.expiresAt}).
They can now sign up with that email address.`);
};
