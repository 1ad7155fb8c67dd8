import { auditPut } from '../audit/audit-store';
import { actedBy, type TenantCaller } from '../auth/caller';
import { commit } from '../db/transaction';
import { ConflictError, NotFoundError } from '../errors';
import { endInviteWrites, getInvite } from './invite-store';

const NO_LONGER_PENDING = 'The invite is no longer pending.';

/**
 * Revokes a pending invite of the caller's tenant: marks it revoked and ends
 * its index entry in one transaction with its audit event, so the person can
 * no longer sign up or accept with it. An invite that is no longer pending is
 * a conflict.
 */
export const revokeInvite = async (caller: TenantCaller, inviteId: string, now: Date = new Date()): Promise<void> => {
  const invite = await getInvite(caller.tenantId, inviteId, now);
  if (!invite) throw new NotFoundError('No such invite in this tenant.');
  if (invite.status !== 'pending' && invite.status !== 'expired') throw new ConflictError(NO_LONGER_PENDING);
  await commit(
    [
      ...endInviteWrites({ ...invite, tenantId: caller.tenantId }, 'revoked', caller.userId, now, false),
      auditPut(
        caller.tenantId,
        { type: 'invite.revoked', ...actedBy(caller), targetId: invite.inviteId, details: { email: invite.email } },
        now,
      ),
    ],
    () => new ConflictError(NO_LONGER_PENDING),
  );
};
