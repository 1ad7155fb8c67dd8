import { z } from 'zod';
import { operatorInTenant } from '../../../src/lib/auth/caller';
import { roleSchema } from '../../../src/lib/auth/roles';
import { createInvite } from '../../../src/lib/invites/create-invite';
import { emailSchema } from '../../../src/lib/invites/invite';
import { removeMember } from '../../../src/lib/members/member-store';
import { listAllTenants } from '../../../src/lib/tenants/tenant-store';
import { asOperatorError, parseOptions } from './cli-input';

export const listTenantsCommand = async (args: { json: boolean }) => {
  const tenants = await listAllTenants();
  if (args.json) {
    console.log(JSON.stringify({ items: tenants }));
    return;
  }
  if (tenants.length === 0) console.log('No tenants yet.');
  for (const t of tenants) console.log(`${t.tenantId}  ${t.createdAt}  ${t.name}`);
};

export const inviteCommand = async (args: { tenant?: string; email?: string; role?: string; json: boolean; actorId: string }) => {
  const input = parseOptions(z.object({ tenant: z.string().min(1, 'is required'), email: emailSchema, role: roleSchema }), args);
  const { invite, code } = await createInvite(operatorInTenant(args.actorId, input.tenant), { email: input.email, role: input.role }).catch(
    asOperatorError,
  );
  if (args.json) {
    console.log(
      JSON.stringify({ inviteId: invite.inviteId, email: invite.email, role: invite.role, expiresAt: invite.expiresAt, inviteCode: code }),
    );
    return;
  }
  console.log(`Invited ${invite.email} as ${invite.role} (invite ${invite.inviteId}, expires ${invite.expiresAt}).\nInvite code: ${code}`);
};

/** Operators act above the tenant's roles; the last-owner rule still holds. */
export const removeMemberCommand = async (args: { tenant?: string; user?: string; json: boolean; actorId: string }) => {
  const input = parseOptions(z.object({ tenant: z.string().min(1, 'is required'), user: z.string().min(1, 'is required') }), args);
  await removeMember(operatorInTenant(args.actorId, input.tenant), input.user).catch(asOperatorError);
  if (args.json) {
    console.log(JSON.stringify({ removed: { tenantId: input.tenant, userId: input.user } }));
    return;
  }
  console.log(`Removed ${input.user} from ${input.tenant}.`);
};
