import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditInput } from '../audit/audit-event';
import { auditPut } from '../audit/audit-store';
import { actedBy, type TenantCaller } from '../auth/caller';
import type { Role } from '../auth/roles';
import { db, tableName } from '../db/client';
import { memberEmailKey, memberKey, tenantKey, userMembershipKey } from '../db/keys';
import { type TransactItem, tryCommit } from '../db/transaction';
import { ConflictError, NotFoundError } from '../errors';
import { endInviteWrites, findIndexedInvite } from '../invites/invite-store';
import type { Member } from './membership';
import { ownerGained, ownerLost } from './owner-count';
import { assertMayChangeRole, assertMayRemove } from './role-rules';

export const toMember = (item: Record<string, unknown>): Member => {
  const { userId, email, role, joinedAt } = item as Member;
  return { userId, email, role, joinedAt };
};

const findMember = async (tenantId: string, userId: string): Promise<Member | undefined> => {
  const out = await db.send(new GetCommand({ TableName: tableName, Key: memberKey(tenantId, userId), ConsistentRead: true }));
  return out.Item ? toMember(out.Item) : undefined;
};

export const getMember = async (tenantId: string, userId: string): Promise<Member> => {
  const member = await findMember(tenantId, userId);
  if (!member) throw new NotFoundError('No such member in this tenant.');
  return member;
};

const ownerCount = async (tenantId: string): Promise<number> => {
  const out = await db.send(new GetCommand({ TableName: tableName, Key: tenantKey(tenantId), ConsistentRead: true }));
  return Number(out.Item?.ownerCount ?? 0);
};

type Plan<T> = { writes: TransactItem[]; result: T } | { unchanged: T };
const MAX_ATTEMPTS = 4;

/**
 * A read-decide-write change of one membership in the caller's tenant. Its
 * transaction is conditioned on what it read; when DynamoDB refuses it, a
 * fresh read tells the last-owner rule (409) from a change made meanwhile
 * (decide again), and a transaction that lost a race to another is tried
 * again too, a few times, then answered 409.
 */
const changeMembership = async <T>(
  caller: TenantCaller,
  userId: string,
  plan: (member: Member, now: Date) => Promise<Plan<T>> | Plan<T>,
): Promise<T> => {
  for (let attempt = 1; ; attempt++) {
    const now = new Date();
    const member = await getMember(caller.tenantId, userId);
    const decided = await plan(member, now);
    if ('unchanged' in decided) return decided.unchanged;
    const outcome = await tryCommit(decided.writes);
    if (outcome.ok) return decided.result;
    if (outcome.reason === 'condition') await explainRefusal(caller.tenantId, userId, member);
    if (attempt >= MAX_ATTEMPTS) throw new ConflictError('The member changed meanwhile; try again.');
    await new Promise((r) => setTimeout(r, 15 * attempt + Math.random() * 25));
  }
};

/** Throws when a refused condition stands for a rule; returns when the member simply changed meanwhile. */
const explainRefusal = async (tenantId: string, userId: string, read: Member): Promise<void> => {
  const fresh = await findMember(tenantId, userId);
  if (!fresh) throw new NotFoundError('No such member in this tenant.');
  if (fresh.role !== read.role) return;
  if (read.role === 'owner' && (await ownerCount(tenantId)) <= 1) throw new ConflictError('A tenant must keep at least one owner.');
  // Same role, yet a condition failed: a pending invite ended meanwhile, or the user's side is gone. Decide again.
};

const roleIs = (tenantId: string, userId: string) => ({
  Key: memberKey(tenantId, userId),
  ConditionExpression: '#role = :current',
  ExpressionAttributeNames: { '#role': 'role' },
});

const audited = (caller: TenantCaller, event: Omit<AuditInput, 'actorId'>, now: Date) =>
  auditPut(caller.tenantId, { ...event, ...actedBy(caller) }, now);

export const changeMemberRole = (caller: TenantCaller, userId: string, newRole: Role): Promise<Member> =>
  changeMembership<Member>(caller, userId, (member, now) => {
    assertMayChangeRole(caller.role, member.role, newRole);
    if (member.role === newRole) return { unchanged: member };
    const { tenantId } = caller;
    const owners = member.role === 'owner' ? [ownerLost(tenantId)] : newRole === 'owner' ? [ownerGained(tenantId)] : [];
    return {
      result: { ...member, role: newRole },
      writes: [
        {
          Update: {
            TableName: tableName,
            ...roleIs(tenantId, userId),
            UpdateExpression: 'SET #role = :new',
            ExpressionAttributeValues: { ':new': newRole, ':current': member.role },
          },
        },
        {
          Update: {
            TableName: tableName,
            Key: userMembershipKey(tenantId, userId),
            UpdateExpression: 'SET #role = :new',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeNames: { '#role': 'role' },
            ExpressionAttributeValues: { ':new': newRole },
          },
        },
        ...owners,
        audited(caller, { type: 'member.role_changed', targetId: userId, details: { from: member.role, to: newRole } }, now),
      ],
    };
  });

/**
 * Removes a member and, in the same transaction, revokes the pending invite
 * of their email in the tenant (the index holds at most one), so nothing
 * invited before the removal lets them back in.
 */
export const removeMember = (caller: TenantCaller, userId: string): Promise<void> =>
  changeMembership<void>(caller, userId, async (member, now) => {
    assertMayRemove(caller.role, member.role);
    const { tenantId } = caller;
    const invite = await findIndexedInvite(tenantId, member.email);
    const pending = invite?.status === 'pending' ? invite : undefined;
    return {
      result: undefined,
      writes: [
        { Delete: { TableName: tableName, ...roleIs(tenantId, userId), ExpressionAttributeValues: { ':current': member.role } } },
        { Delete: { TableName: tableName, Key: userMembershipKey(tenantId, userId) } },
        { Delete: { TableName: tableName, Key: memberEmailKey(tenantId, member.email) } },
        ...(member.role === 'owner' ? [ownerLost(tenantId)] : []),
        audited(caller, { type: 'member.removed', targetId: userId, details: { role: member.role, email: member.email } }, now),
        ...(pending
          ? [
              ...endInviteWrites({ ...pending, tenantId }, 'revoked', caller.userId, now, false),
              audited(
                caller,
                { type: 'invite.revoked', targetId: pending.inviteId, details: { email: pending.email, reason: 'member.removed' } },
                now,
              ),
            ]
          : []),
      ],
    };
  });
