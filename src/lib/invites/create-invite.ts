import { auditPut } from '../audit/audit-store';
import { actedBy, type Caller, type TenantCaller } from '../auth/caller';
import type { Role } from '../auth/roles';
import { commit, type TransactItem } from '../db/transaction';
import { ConflictError, TooManyRequestsError } from '../errors';
import { tenantStillExists } from '../members/owner-count';
import { assertMayInviteAs } from '../members/role-rules';
import { getTenant } from '../tenants/tenant-store';
import type { Invite } from './invite';
import { sendInviteEmail } from './invite-email';
import { newInviteWrites, rateWindow } from './invite-store';

/** A new invite and its code: the code is for the email and the operator, never for an API response. */
export type CreatedInvite = { invite: Invite; code: string; emailSent: boolean };

/**
 * The transaction that creates an invite with its audit event, and the error
 * each of its conditions stands for. `extra` joins other writes (a new tenant).
 */
export const inviteTransaction = (
  caller: Caller,
  tenantId: string,
  input: { email: string; role: Role },
  now: Date,
  extra: TransactItem[],
) => {
  const { invite, code, writes } = newInviteWrites({ tenantId, email: input.email, role: input.role, invitedBy: caller.userId }, now);
  const items = [
    ...extra,
    writes.invite,
    writes.index,
    writes.notAMember,
    writes.withinRate,
    auditPut(
      tenantId,
      { type: 'invite.created', ...actedBy(caller), targetId: invite.inviteId, details: { email: invite.email, role: invite.role } },
      now,
    ),
  ];
  const refusal = (failed: TransactItem[]): Error => {
    if (failed.includes(writes.withinRate)) {
      return new TooManyRequestsError('This tenant has sent as many invites as it may this hour.', rateWindow(now).secondsLeft);
    }
    if (failed.includes(writes.notAMember)) return new ConflictError('That email already belongs to a member of this tenant.');
    if (failed.includes(writes.index)) return new ConflictError('A pending invite for that email already exists in this tenant.');
    return new ConflictError('The tenant no longer exists.');
  };
  return { invite, code, items, refusal };
};

/**
 * Invites an email into the caller's tenant: the invite, its index entry and
 * the audit event in one transaction, then the email. A second pending
 * invite for the same email, an email that already belongs to a member
 * (the caller's own included) and an invite over the hourly limit are refused,
 * however many race.
 */
export const createInvite = async (
  caller: TenantCaller,
  input: { email: string; role: Role },
  now: Date = new Date(),
): Promise<CreatedInvite> => {
  assertMayInviteAs(caller.role, input.role);
  const tenant = await getTenant(caller.tenantId);
  const { invite, code, items, refusal } = inviteTransaction(caller, caller.tenantId, input, now, [tenantStillExists(caller.tenantId)]);
  await commit(items, refusal);
  const emailSent = await sendInviteEmail(invite, code, tenant.name);
  return { invite, code, emailSent };
};
