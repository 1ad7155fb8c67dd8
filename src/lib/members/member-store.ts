import { GetCommand, TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { auditPut } from '../audit/audit-store';
import type { Role } from '../auth/roles';
import { db, tableName } from '../db/client';
import { isConditionFailure, isTransactionConflict } from '../db/conditions';
import { memberKey, memberPrefix, tenantKey, userMembershipKey } from '../db/keys';
import { pagedQuery } from '../db/paged-query';
import { prefixQuery } from '../db/queries';
import { ConflictError, NotFoundError } from '../errors';
import type { ListQuery, Page } from '../pagination/list-query';
import type { Member } from './membership';
import { ownerGained, ownerLost } from './owner-count';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
type Meta = { ip?: string; userAgent?: string };
export type MemberActor = { userId: string; assertAllowed: (targetRole: Role) => void };

const toMember = (item: Record<string, unknown>): Member => {
  const { userId, email, role, joinedAt } = item as Member;
  return { userId, email, role, joinedAt };
};

export const listMembers = (tenantId: string, list: ListQuery): Promise<Page<Member>> =>
  pagedQuery({ tenantId, list: 'members' }, list, prefixQuery(memberPrefix(tenantId)), toMember);

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

/**
 * A read-decide-write change of one membership. Its transaction is
 * conditioned on the role it read; when a condition fails, a fresh read tells
 * the last-owner rule (409) from a change made meanwhile (try again), and a
 * transaction that lost a race to another one is tried again too.
 */
const changeMembership = async <T>(
  tenantId: string,
  userId: string,
  actor: MemberActor,
  plan: (member: Member, now: Date) => { writes: TransactItem[]; result: T } | { unchanged: T },
): Promise<T> => {
  for (let attempt = 1; ; attempt++) {
    const now = new Date();
    const member = await getMember(tenantId, userId);
    actor.assertAllowed(member.role);
    const decided = plan(member, now);
    if ('unchanged' in decided) return decided.unchanged;
    try {
      await db.send(new TransactWriteCommand({ TransactItems: decided.writes }));
      return decided.result;
    } catch (err) {
      const retry = await classify(err, tenantId, userId, member);
      if (!retry || attempt >= 4) throw retry ? new ConflictError('The member changed meanwhile; try again.') : err;
      await new Promise((r) => setTimeout(r, 15 * attempt + Math.random() * 25));
    }
  }
};

const classify = async (err: unknown, tenantId: string, userId: string, read: Member): Promise<boolean> => {
  if (isTransactionConflict(err)) return true;
  if (!isConditionFailure(err)) return false;
  const fresh = await findMember(tenantId, userId);
  if (!fresh) throw new NotFoundError('No such member in this tenant.');
  if (fresh.role === read.role && read.role === 'owner' && (await ownerCount(tenantId)) <= 1) {
    throw new ConflictError('A tenant must keep at least one owner.');
  }
  // Same role, yet a condition failed: the tenant or the user's side of the membership is gone.
  if (fresh.role === read.role) throw new ConflictError('The membership could not be changed.');
  return true;
};

const roleIs = (tenantId: string, userId: string) => ({
  Key: memberKey(tenantId, userId),
  ConditionExpression: '#role = :current',
  ExpressionAttributeNames: { '#role': 'role' },
});

export const changeMemberRole = (tenantId: string, userId: string, newRole: Role, actor: MemberActor, meta: Meta): Promise<Member> =>
  changeMembership<Member>(tenantId, userId, actor, (member, now) => {
    if (member.role === newRole) return { unchanged: member };
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
        auditPut(
          tenantId,
          { type: 'member.role_changed', actorId: actor.userId, targetId: userId, details: { from: member.role, to: newRole }, ...meta },
          now,
        ),
      ],
    };
  });

export const removeMember = (tenantId: string, userId: string, actor: MemberActor, meta: Meta): Promise<void> =>
  changeMembership<void>(tenantId, userId, actor, (member, now) => ({
    result: undefined,
    writes: [
      {
        Delete: {
          TableName: tableName,
          ...roleIs(tenantId, userId),
          ExpressionAttributeValues: { ':current': member.role },
        },
      },
      { Delete: { TableName: tableName, Key: userMembershipKey(tenantId, userId) } },
      ...(member.role === 'owner' ? [ownerLost(tenantId)] : []),
      auditPut(
        tenantId,
        { type: 'member.removed', actorId: actor.userId, targetId: userId, details: { role: member.role, email: member.email }, ...meta },
        now,
      ),
    ],
  }));
