import { TransactGetCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from '../db/client';
import { allSessionsKey, revokedSessionKey, userMembershipKey } from '../db/keys';
import { type Role, roleSchema } from './roles';

export type SessionState = {
  /** This session was ended (`POST /sessions/revoke`). */
  revoked: boolean;
  /** Epoch seconds: every token of the user issued at or before it is refused (sign-out everywhere, password reset). */
  notBefore: number | undefined;
  /** The caller's current role in the claimed tenant; undefined if no longer a member (or no tenant claimed). */
  currentRole: Role | undefined;
};

/**
 * Reads, in one strongly consistent round trip, what can change after a token
 * was issued: whether its session was ended, whether every session of the
 * user was ended since, and whether the membership it claims still exists
 * (and with which role).
 *
 * The membership is read from the user's side (`USER#u / MEMBERSHIP#t`), not
 * the tenant's: every write of a membership (newMembershipWrites,
 * changeMemberRole, removeMember) changes both sides in one transaction, and
 * TransactGetItems never sees half of one, so both answer alike; but the
 * user's side puts a big tenant's cache misses on its users' partitions
 * instead of all on the tenant's (3,000 read units a second, 2 per item read
 * in a transaction).
 */
export const readSessionState = async (userId: string, sessionId: string, tenantId: string | undefined): Promise<SessionState> => {
  const keys = [revokedSessionKey(userId, sessionId), allSessionsKey(userId), ...(tenantId ? [userMembershipKey(tenantId, userId)] : [])];
  const out = await db.send(
    new TransactGetCommand({
      TransactItems: keys.map((Key) => ({
        Get: {
          TableName: tableName,
          Key,
          ProjectionExpression: 'pk, #role, notBefore',
          ExpressionAttributeNames: { '#role': 'role' },
        },
      })),
    }),
  );
  const [session, all, member] = out.Responses ?? [];
  const role = roleSchema.safeParse(member?.Item?.role);
  const notBefore = all?.Item?.notBefore;
  return {
    revoked: session?.Item !== undefined,
    notBefore: typeof notBefore === 'number' ? notBefore : undefined,
    currentRole: role.success ? role.data : undefined,
  };
};
