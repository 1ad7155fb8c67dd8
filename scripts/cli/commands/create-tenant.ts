import { z } from 'zod';
import { isConditionFailure } from '../../../src/lib/db/conditions';
import { emailSchema } from '../../../src/lib/invites/invite';
import { createTenant } from '../../../src/lib/tenants/create-tenant';
import { tenantNameSchema } from '../../../src/lib/tenants/tenant';

export class CliInputError extends Error {
  override name = 'CliInputError';
}

const inputSchema = z.object({ name: tenantNameSchema, owner: emailSchema });

export const createTenantCommand = async (args: { name?: string; owner?: string; json: boolean; actorId: string }) => {
  const parsed = inputSchema.safeParse({ name: args.name, owner: args.owner });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `--${String(i.path[0] ?? '')}: ${i.message}`).join('\n');
    throw new CliInputError(problems);
  }
  let result: Awaited<ReturnType<typeof createTenant>>;
  try {
    result = await createTenant({ name: parsed.data.name, ownerEmail: parsed.data.owner, actorId: args.actorId });
  } catch (err) {
    if (isConditionFailure(err)) throw new Error('A pending invite for that email already exists in this tenant.');
    throw err;
  }
  const { tenant, invite } = result;
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
