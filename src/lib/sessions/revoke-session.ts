import { auditPut } from '../audit/audit-store';
import { authConfig } from '../auth/auth-config';
import { actedBy, type Caller } from '../auth/caller';
import { revokeRefreshToken } from '../cognito/user-pool-admin';
import { tableName } from '../db/client';
import { revokedSessionKey, ttlAfterDays } from '../db/keys';
import { commit } from '../db/transaction';
import { ValidationError } from '../errors';
import { endAllSessions } from './end-all-sessions';
import { sessionConfig } from './session-config';

export type Revocation = { refreshToken?: string | undefined; scope: 'session' | 'all' };

/** A refresh token Cognito refuses (not this client's, malformed, already revoked) is the client's mistake. */
const refusedByCognito = (err: unknown): boolean => {
  const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return status !== undefined && status >= 400 && status < 500 && status !== 429;
};

/**
 * POST /sessions/revoke.
 * - `session`: ends the caller's session: every access token of it (same
 *   `origin_jti`, including ones refreshed later) is refused from now on.
 *   With a refresh token, Cognito revokes that too first, so nothing is marked
 *   revoked if Cognito refuses the token. The marker outlives any token of the
 *   session (refresh-token lifetime) and then expires by TTL.
 * - `all`: ends every session of the caller, from every sign-in and device.
 */
export const revokeSession = async (caller: Caller, revocation: Revocation, now: Date = new Date()): Promise<void> => {
  if (revocation.refreshToken) {
    try {
      await revokeRefreshToken(caller.clientId, revocation.refreshToken);
    } catch (err) {
      if (!refusedByCognito(err)) throw err;
      throw new ValidationError('The refresh token could not be revoked.', [
        { path: 'refreshToken', message: 'is not a refresh token of this client' },
      ]);
    }
  }
  if (revocation.scope === 'all') {
    await endAllSessions({
      userId: caller.userId,
      userPoolId: authConfig.userPoolId,
      actor: actedBy(caller),
      auditTenantId: caller.tenantId,
      reason: 'sign-out-everywhere',
    });
    return;
  }
  await commit([
    {
      Put: {
        TableName: tableName,
        Item: {
          ...revokedSessionKey(caller.userId, caller.sessionId),
          entity: 'revokedSession',
          revokedAt: now.toISOString(),
          ttl: ttlAfterDays(now, sessionConfig.refreshTokenDays + 1),
        },
      },
    },
    auditPut(
      caller.tenantId,
      {
        type: 'session.revoked',
        ...actedBy(caller),
        targetId: caller.sessionId,
        details: { scope: 'session', refreshTokenRevoked: Boolean(revocation.refreshToken) },
      },
      now,
    ),
  ]);
};
