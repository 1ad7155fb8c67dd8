import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { auditPut } from '../audit/audit-store';
import { db, tableName } from '../db/client';
import { revokedSessionKey, ttlAfterDays } from '../db/keys';
import { ENV, emptyAsUndefined } from '../env-names';
import { ValidationError } from '../errors';

const sessionConfig = z
  .object({
    [ENV.cognitoEndpoint]: z.preprocess(emptyAsUndefined, z.url().optional()),
    [ENV.refreshTokenDays]: z.coerce.number().int().min(1).max(3650).default(30),
  })
  .parse(process.env);

// Created on first use: only a revocation that brings a refresh token calls Cognito, and the client costs cold-start time.
let cognito: CognitoIdentityProviderClient | undefined;
const revokeRefreshToken = async (clientId: string, token: string) => {
  const { CognitoIdentityProviderClient, RevokeTokenCommand } = await import('@aws-sdk/client-cognito-identity-provider');
  cognito ??= new CognitoIdentityProviderClient(sessionConfig[ENV.cognitoEndpoint] ? { endpoint: sessionConfig[ENV.cognitoEndpoint] } : {});
  await cognito.send(new RevokeTokenCommand({ ClientId: clientId, Token: token }));
};

type Caller = { userId: string; sessionId: string; clientId: string; tenantId: string | undefined };

/**
 * Ends the caller's session: every access token of it (same `origin_jti`,
 * including ones refreshed later) is refused from now on. With a refresh
 * token, Cognito revokes that too first, so nothing is marked revoked if
 * Cognito refuses the token. The marker outlives any token of the session
 * (refresh-token lifetime) and then expires by TTL.
 */
export const revokeSession = async (
  caller: Caller,
  refreshToken: string | undefined,
  meta: { ip?: string; userAgent?: string },
  now: Date = new Date(),
): Promise<void> => {
  if (refreshToken) {
    try {
      await revokeRefreshToken(caller.clientId, refreshToken);
    } catch (err) {
      const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode ?? 500;
      if (status >= 400 && status < 500) {
        throw new ValidationError('The refresh token could not be revoked.', [
          { path: 'refreshToken', message: 'is not a refresh token of this client' },
        ]);
      }
      throw err;
    }
  }
  await db.send(
    new TransactWriteCommand({
      TransactItems: [
        {
          Put: {
            TableName: tableName,
            Item: {
              ...revokedSessionKey(caller.userId, caller.sessionId),
              entity: 'revokedSession',
              revokedAt: now.toISOString(),
              ttl: ttlAfterDays(now, sessionConfig[ENV.refreshTokenDays] + 1),
            },
          },
        },
        auditPut(
          caller.tenantId,
          {
            type: 'session.revoked',
            actorId: caller.userId,
            targetId: caller.sessionId,
            details: { refreshTokenRevoked: Boolean(refreshToken) },
            ...meta,
          },
          now,
        ),
      ],
    }),
  );
};
