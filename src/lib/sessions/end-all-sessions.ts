import { auditPut } from '../audit/audit-store';
import { signOutEverywhere } from '../cognito/user-pool-admin';
import { tableName } from '../db/client';
import { itemIsNew } from '../db/conditions';
import { allSessionsKey, sessionsEndedByKey, ttlAfterDays } from '../db/keys';
import { type Refusal, type TransactItem, tryCommit } from '../db/transaction';
import { CONCURRENT_CHANGE, ConflictError } from '../errors';
import { sessionConfig } from './session-config';

/** Why every session of a user ended: the route, a password reset, or the user's own GlobalSignOut at Cognito. */
export type AllSessionsEndedReason = 'sign-out-everywhere' | 'password-reset' | 'cognito-global-sign-out';

export type AllSessionsEnded = {
  userId: string;
  /** Who did it and from where, for the audit event (the user, or Cognito on a password reset). */
  actor: { actorId: string; ip?: string; userAgent?: string };
  /** The tenant whose audit log records it; undefined: the platform's. */
  auditTenantId: string | undefined;
  reason: AllSessionsEndedReason;
  /** When the sessions ended: every access token issued up to this second is refused. */
  at: Date;
  /** The id of the event that reports the ending, when it may be delivered more than once. */
  eventId?: string;
};

export type EndAllSessions = Omit<AllSessionsEnded, 'at' | 'eventId'> & { userPoolId: string };

/**
 * Records that every session of a user ended at `at`: one marker says "every
 * token issued up to then is refused", which the auth context reads in its
 * single round trip, so within its cache age (≤ 5 s) every access token issued
 * before is refused by every route; and one `session.revoked` audit event, in
 * the same transaction. The marker is in whole seconds and covers the second
 * of `at`, so a sign-in in that very second has to be repeated.
 *
 * With an `eventId`, a dedupe item keyed by it joins the transaction: a
 * redelivered event finds it and writes nothing (`recorded: false`).
 */
export const recordAllSessionsEnded = async (ending: AllSessionsEnded): Promise<{ recorded: boolean }> => {
  const { userId, at } = ending;
  const audit = auditPut(
    ending.auditTenantId,
    { type: 'session.revoked', ...ending.actor, targetId: userId, details: { scope: 'all', reason: ending.reason } },
    at,
  );
  const marker: TransactItem = {
    Update: {
      TableName: tableName,
      Key: allSessionsKey(userId),
      UpdateExpression: 'SET entity = :entity, notBefore = :notBefore, #ttl = :ttl',
      // Never moved back: a late retry of an older ending leaves a newer one in place.
      ConditionExpression: 'attribute_not_exists(notBefore) OR notBefore <= :notBefore',
      ExpressionAttributeNames: { '#ttl': 'ttl' },
      ExpressionAttributeValues: {
        ':entity': 'allSessionsEnded',
        ':notBefore': Math.floor(at.getTime() / 1000),
        ':ttl': markerTtl(at),
      },
    },
  };
  const once = ending.eventId === undefined ? [] : [dedupePut(userId, ending.eventId, at)];
  const redelivered = (refusal: Refusal) => refusal.reason === 'condition' && once.some((item) => refusal.failed.includes(item));

  const result = await tryCommit([marker, audit, ...once]);
  if (result.ok) return { recorded: true };
  if (redelivered(result)) return { recorded: false };
  if (result.reason === 'conflict') throw new ConflictError(CONCURRENT_CHANGE);
  // A newer ending is already in place and covers this one: record the event all the same.
  const auditOnly = await tryCommit([audit, ...once]);
  if (auditOnly.ok) return { recorded: true };
  if (redelivered(auditOnly)) return { recorded: false };
  throw new ConflictError(CONCURRENT_CHANGE);
};

/**
 * Ends every session of a user, from every sign-in and device. First Cognito
 * signs the user out globally, so no refresh token of theirs can mint a new
 * token; then the ending is recorded as of that moment. In this order no token
 * can be minted after the marker and escape it.
 */
export const endAllSessions = async (input: EndAllSessions, now: () => Date = () => new Date()): Promise<void> => {
  const { userPoolId, ...ending } = input;
  await signOutEverywhere(userPoolId, input.userId);
  await recordAllSessionsEnded({ ...ending, at: now() });
};

/** The marker must outlive every token issued before it: the refresh token's lifetime, plus a day. */
const markerTtl = (at: Date): number => ttlAfterDays(at, sessionConfig.refreshTokenDays + 1);

/**
 * Lives as long as the marker: far longer than any redelivery (EventBridge
 * retries for at most a day, Lambda's asynchronous queue keeps an event at most 6 hours).
 */
const dedupePut = (userId: string, eventId: string, at: Date): TransactItem => ({
  Put: {
    TableName: tableName,
    Item: { ...sessionsEndedByKey(userId, eventId), entity: 'sessionsEndedBy', ttl: markerTtl(at) },
    ConditionExpression: itemIsNew,
  },
});
