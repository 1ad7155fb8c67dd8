import { TransactGetCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from '../db/client';
import { memberKey, revokedSessionKey } from '../db/keys';
import { type Role, roleSchema } from './roles';

export type SessionState = {
  revoked: boolean;
  /** The caller's current role in the claimed tenant; undefined if no longer a member (or no tenant claimed). */
  currentRole: Role | undefined;
};

/**
 * Reads, in one strongly consistent round trip, what can change after a token
 * was issued: whether its session was revoked and whether the membership it
 * claims still exists (and with which role).
 */
export const readSessionState = async (userId: string, sessionId: string, tenantId: string | undefined): Promise<SessionState> => {
  const keys = [revokedSessionKey(userId, sessionId), ...(tenantId ? [memberKey(tenantId, userId)] : [])];
  const out = await db.send(
    new TransactGetCommand({
      TransactItems: keys.map((Key) => ({
        Get: { TableName: tableName, Key, ProjectionExpression: 'pk, #role', ExpressionAttributeNames: { '#role': 'role' } },
      })),
    }),
  );
  const [session, member] = out.Responses ?? [];
  const role = roleSchema.safeParse(member?.Item?.role);
  return { revoked: session?.Item !== undefined, currentRole: role.success ? role.data : undefined };
};
