import { TransactGetCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from '../db/client';
import { allSessionsKey, memberKey, revokedSessionKey } from '../db/keys';
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
 */
export const readSessionState = async (userId: string, sessionId: string, tenantId: string | undefined): Promise<SessionState> => {
  const keys = [revokedSessionKey(userId, sessionId), allSessionsKey(userId), ...(tenantId ? [memberKey(tenantId, userId)] : [])];
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
