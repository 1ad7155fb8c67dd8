import type { AuditInput } from '../audit/audit-event';
import { auditPut } from '../audit/audit-store';
import { actedBy, type Caller } from '../auth/caller';
import type { Role } from '../auth/roles';
import { commit, type TransactItem } from '../db/transaction';
import { ConflictError, ForbiddenError, NotFoundError } from '../errors';
import { newMembershipWrites } from '../members/membership';
import { tenantNames } from '../tenants/tenant-names';
import { verifiedAccountOf } from '../users/user-store';
import { type IndexedInvite, isUnexpired } from './invite';
import { endInviteWrites, findInvitesOfEmail } from './invite-store';

export type AcceptingUser = { userId: string; email: string };

/**
 * The writes that turn a pending invite into a membership: the invite and its
 * index entry end as accepted (only if still pending and unexpired), the
 * membership, its email entry and the user's view of it are created (only if
 * new), the owner count follows, and the audit events are written. Either all
 * of it or none.
 */
export const acceptInviteWrites = (
  invite: IndexedInvite,
  user: AcceptingUser,
  now: Date,
  events: AuditInput[],
): { items: TransactItem[]; membership: TransactItem[] } => {
  const membership = newMembershipWrites({ tenantId: invite.tenantId, userId: user.userId, email: user.email, role: invite.role }, now);
  return {
    membership,
    items: [
      ...endInviteWrites(invite, 'accepted', user.userId, now, true),
      ...membership,
      ...events.map((e) => auditPut(invite.tenantId, e, now)),
    ],
  };
};

/**
 * POST /me/invites/{inviteId}/accept: the caller accepts an invite addressed
 * to the email they verified; the membership becomes active if they had none.
 */
export const acceptInviteForUser = async (
  caller: Caller,
  inviteId: string,
  now: Date = new Date(),
): Promise<{ tenantId: string; tenantName: string; role: Role }> => {
  const account = await verifiedAccountOf(caller.userId);
  const user = { userId: caller.userId, email: account.email };
  const invite = (await findInvitesOfEmail(user.email)).find((i) => i.inviteId === inviteId);
  if (!invite) throw new NotFoundError('No such invite for your email address.');
  if (account.ssoTenantId && account.ssoTenantId !== invite.tenantId) {
    throw new ForbiddenError("Your account is managed by your organization's sign-in and belongs to that organization only.");
  }
  if (invite.status !== 'pending') throw new ConflictError('The invite is no longer pending.');
  if (!isUnexpired(invite, now)) throw new ConflictError('The invite has expired.');
  // Read before the write: a fault here must leave the invite pending, not accepted behind a 503.
  const tenantName = (await tenantNames([invite.tenantId])).get(invite.tenantId);
  if (tenantName === undefined) throw new NotFoundError('The tenant of this invite no longer exists.');
  const { items, membership } = acceptInviteWrites(invite, user, now, [
    { type: 'invite.accepted', ...actedBy(caller), targetId: invite.inviteId, details: { role: invite.role } },
  ]);
  await commit(items, (failed) =>
    failed.some((item) => membership.includes(item))
      ? new ConflictError('You are already a member of this tenant.')
      : new ConflictError('The invite is no longer pending.'),
  );
  return { tenantId: invite.tenantId, tenantName, role: invite.role };
};
