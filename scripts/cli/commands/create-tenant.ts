import { z } from 'zod';
import { operatorCaller } from '../../../src/lib/auth/caller';
import { emailSchema } from '../../../src/lib/invites/invite';
import { createTenant } from '../../../src/lib/tenants/create-tenant';
import { tenantNameSchema } from '../../../src/lib/tenants/tenant';
import { parseOptions } from './cli-input';

const inputSchema = z.object({ name: tenantNameSchema, owner: emailSchema });

export const createTenantCommand = async (args: { name?: string; owner?: string; json: boolean; actorId: string }) => {
  const input = parseOptions(inputSchema, { name: args.name, owner: args.owner });
  const { tenant, invite, code } = await createTenant(operatorCaller(args.actorId), { name: input.name, ownerEmail: input.owner });
  if (args.json) {
    console.log(
      JSON.stringify({
        tenant: { tenantId: tenant.tenantId, name: tenant.name },
        invite: { inviteId: invite.inviteId, email: invite.email, role: invite.role, expiresAt: invite.expiresAt, inviteCode: code },
      }),
    );
    return;
  }
  console.log(`Created tenant "${tenant.name}" (${tenant.tenantId}).
Invited ${invite.email} as ${invite.role} (invite ${invite.inviteId}, expires ${invite.expiresAt}).
Invite code: ${code}
They sign up with that email address and the code (the invite email's link carries both).`);
};
