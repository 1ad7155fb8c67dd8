import { z } from 'zod';
import { roleSchema } from '../../../src/lib/auth/roles';
import { AppError } from '../../../src/lib/errors';
import { createInvite } from '../../../src/lib/invites/create-invite';
import { emailSchema } from '../../../src/lib/invites/invite';
import { removeMember } from '../../../src/lib/members/member-store';
import { listAllTenants } from '../../../src/lib/tenants/tenant-store';
import { CliInputError } from './create-tenant';

const parse = <S extends z.ZodType>(schema: S, values: unknown): z.infer<S> => {
  const parsed = schema.safeParse(values);
  if (!parsed.success) throw new CliInputError(parsed.error.issues.map((i) => `--${String(i.path[0] ?? '')}: ${i.message}`).join('\n'));
  return parsed.data;
};

/** Domain refusals (409 last owner, 404 unknown) read as plain sentences on the terminal. */
const asOperatorError = (err: unknown): never => {
  if (err instanceof AppError) throw new Error(err.detail);
  throw err;
};

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
  const input = parse(z.object({ tenant: z.string().min(1, 'is required'), email: emailSchema, role: roleSchema }), args);
  const invite = await createInvite(input.tenant, { email: input.email, role: input.role }, args.actorId, {}).catch(asOperatorError);
  if (args.json) {
    console.log(JSON.stringify({ inviteId: invite.inviteId, email: invite.email, role: invite.role, expiresAt: invite.expiresAt }));
    return;
  }
  console.log(`Invited ${invite.email} as ${invite.role} (invite ${invite.inviteId}, expires ${invite.expiresAt}).`);
};

/** Operators act above the tenant's roles; the last-owner rule still holds. */
export const removeMemberCommand = async (args: { tenant?: string; user?: string; json: boolean; actorId: string }) => {
  const input = parse(z.object({ tenant: z.string().min(1, 'is required'), user: z.string().min(1, 'is required') }), args);
  await removeMember(input.tenant, input.user, { userId: args.actorId, assertAllowed: () => {} }, {}).catch(asOperatorError);
  if (args.json) {
    console.log(JSON.stringify({ removed: { tenantId: input.tenant, userId: input.user } }));
    return;
  }
  console.log(`Removed ${input.user} from ${input.tenant}.`);
};
