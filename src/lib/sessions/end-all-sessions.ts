import { auditPut } from '../audit/audit-store';
import { signOutEverywhere } from '../cognito/user-pool-admin';
import { tableName } from '../db/client';
import { allSessionsKey, ttlAfterDays } from '../db/keys';
import { commit, tryCommit } from '../db/transaction';
import { CONCURRENT_CHANGE, ConflictError } from '../errors';
import { sessionConfig } from './session-config';

export type EndAllSessions = {
  userId: string;
  userPoolId: string;
  /** Who did it and from where, for the audit event (the user, or Cognito on a password reset). */
  actor: { actorId: string; ip?: string; userAgent?: string };
  /** The tenant whose audit log records it; undefined: the platform's. */
  auditTenantId: string | undefined;
  reason: 'sign-out-everywhere' | 'password-reset';
};

/**
 * Ends every session of a user, from every sign-in and device. First Cognito
 * signs the user out globally, so no refresh token of theirs can mint a new
 * token; then one marker says "every token issued up to now is refused",
 * which the auth context reads in its single round trip: within its cache
 * age (≤ 5 s) every access token issued before is refused by every route.
 * In this order no token can be minted after the marker and escape it. The
 * marker is in whole seconds and covers the second it was written in, so a
 * sign-in in that very second has to be repeated.
 */
export const endAllSessions = async (input: EndAllSessions, now: () => Date = () => new Date()): Promise<void> => {
  await signOutEverywhere(input.userPoolId, input.userId);
  const at = now();
  const audit = auditPut(
    input.auditTenantId,
    { type: 'session.revoked', ...input.actor, targetId: input.userId, details: { scope: 'all', reason: input.reason } },
    at,
  );
  const marker = {
    Update: {
      TableName: tableName,
      Key: allSessionsKey(input.userId),
      UpdateExpression: 'SET entity = :entity, notBefore = :notBefore, #ttl = :ttl',
      // Never moved back: a late retry of an older ending leaves a newer one in place.
      ConditionExpression: 'attribute_not_exists(notBefore) OR notBefore <= :notBefore',
      ExpressionAttributeNames: { '#ttl': 'ttl' },
      ExpressionAttributeValues: {
        ':entity': 'allSessionsEnded',
        ':notBefore': Math.floor(at.getTime() / 1000),
        ':ttl': ttlAfterDays(at, sessionConfig.refreshTokenDays + 1),
      },
    },
  };
  const result = await tryCommit([marker, audit]);
  if (result.ok) return;
  if (result.reason === 'conflict') throw new ConflictError(CONCURRENT_CHANGE);
  // A newer ending is already in place and covers this one: record the event all the same.
  await commit([audit]);
};
