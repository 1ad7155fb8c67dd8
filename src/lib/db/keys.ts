import { createHash } from 'node:crypto';

/**
 * Every DynamoDB key in one place, as pure functions. A tenant-owned key takes
 * the tenant id first, and every tenant-owned item lives under its tenant's
 * partition, so a key built from the caller's verified tenant can never reach
 * another tenant's data.
 *
 * Layout (single table, pk/sk):
 *   TENANT#t           TENANT                  tenant
 *   TENANT#t           MEMBER#u                membership (the tenant's side: member lists, the rules of a change)
 *   TENANT#t           MEMBER_EMAIL#e          the email of a membership: one member per email, checked by invites
 *   TENANT#t           INVITE_RATE#<hour>      invites created in that hour (rate limit; TTL)
 *   TENANT#t           INVITE#i                invite
 *   TENANT#t           FILE#f                  file metadata (a pending one has a TTL)
 *   TENANT#t#AUDIT#n   <at>#<eventId>          audit event (TTL), in shard n = auditShardOf(eventId) of
 *                                              AUDIT_SHARDS, so a tenant's busiest hour spreads its writes
 *   TENANT#t#AUDIT     <at>#<eventId>          audit events written before the sharding (read, never written)
 *   USER#u             PROFILE                 user profile, active tenant
 *   USER#u             MEMBERSHIP#t            the user's side of a membership, changed in the same
 *                                              transaction as MEMBER#u: the auth context reads this one,
 *                                              so a tenant's requests spread over its users' partitions
 *   USER#u#SESSIONS    SESSION#<origin_jti>    revoked session (TTL), apart from the user's
 *                                              partition so reading a user never reads them
 *   USER#u#SESSIONS    ALL                     every session started before `notBefore` is ended
 *   USER#u#SESSIONS    ENDED_BY#<event id>     an event that ended every session, already recorded
 *                                              (TTL), so a redelivered event writes nothing twice
 *   USER#u#LOGINS      LOGIN#<sign-in hash>    a sign-in already audited (TTL), so a retried
 *                                              PostAuthentication writes no second event
 *   EMAIL#e            INVITE#t                the latest invite of an email by a tenant (invite index)
 *   TENANT_DIRECTORY   TENANT#t                the operators' list of tenants
 *   PLATFORM#AUDIT#n   <at>#<eventId>          audit events of users with no tenant (TTL), sharded alike
 *   TENANT#t           SSO                     the tenant's SSO configuration (never its client secret)
 *   TENANT#t           DOMAIN#d                a domain the tenant claims: pending or verified
 *   DOMAIN#d           CLAIM                   the one tenant that verified domain d (unique by key)
 *   IDP#p              PROVIDER                the tenant that owns Cognito identity provider p
 *   USER#u             SSO_LINK#p#s            subject s of provider p was linked to this password account
 *   LOCK#<name>        LOCK                    a short lease (TTL) serializing one read-modify-write
 *                                              of a shared resource, e.g. the app client's providers
 *   RATE#<name>#<who>  <window>                a rate-limit counter (TTL)
 *   IDENTITY#x         OWNER                   the user whose Cognito identity (Identity Pool) x is, as
 *                                              GetId answered for their ID token: the inbox ingest's who
 *   USER#u             STORAGE_IDENTITY        the user's registered identity id (PUT /me/storage-identity)
 *   TENANT#t           INBOX#<hash>            an inbox upload (object key and version) already decided
 *                                              by the ingest (TTL), so a redelivered event decides nothing twice
 */
export type Key = { pk: string; sk: string };

export const tenantKey = (tenantId: string): Key => ({ pk: `TENANT#${tenantId}`, sk: 'TENANT' });

export const memberKey = (tenantId: string, userId: string): Key => ({
  pk: `TENANT#${tenantId}`,
  sk: `MEMBER#${userId}`,
});

export const memberEmailKey = (tenantId: string, email: string): Key => ({
  pk: `TENANT#${tenantId}`,
  sk: `MEMBER_EMAIL#${email}`,
});

/** One counter item per tenant and clock hour (`2026-11-30T08`). */
export const inviteRateKey = (tenantId: string, hour: string): Key => ({
  pk: `TENANT#${tenantId}`,
  sk: `INVITE_RATE#${hour}`,
});

export const memberPrefix = (tenantId: string): Key => ({ pk: `TENANT#${tenantId}`, sk: 'MEMBER#' });

export const inviteKey = (tenantId: string, inviteId: string): Key => ({
  pk: `TENANT#${tenantId}`,
  sk: `INVITE#${inviteId}`,
});

export const invitePrefix = (tenantId: string): Key => ({ pk: `TENANT#${tenantId}`, sk: 'INVITE#' });

export const fileKey = (tenantId: string, fileId: string): Key => ({
  pk: `TENANT#${tenantId}`,
  sk: `FILE#${fileId}`,
});

export const filePrefix = (tenantId: string): Key => ({ pk: `TENANT#${tenantId}`, sk: 'FILE#' });

export const emailInviteKey = (tenantId: string, email: string): Key => ({
  pk: `EMAIL#${email}`,
  sk: `INVITE#${tenantId}`,
});

export const invitesOfEmail = (email: string): Key => ({ pk: `EMAIL#${email}`, sk: 'INVITE#' });

export const tenantDirectoryKey = (tenantId: string): Key => ({ pk: 'TENANT_DIRECTORY', sk: `TENANT#${tenantId}` });

export const tenantDirectory = (): Key => ({ pk: 'TENANT_DIRECTORY', sk: 'TENANT#' });

/**
 * How many partitions one tenant's audit log is spread over. A partition takes
 * 1,000 write units a second and an event (under 1 KB) costs 2 in a
 * transaction, so a log in one partition would audit at most 500 sign-ins a
 * second. With 32, the busiest shard of a tenant signing in at 10,000 a second
 * (the table's own default quota: 40,000 write units, 4 a sign-in) stays
 * under its limit at the 99.9th percentile; `npm run bench -- storm` models it.
 * Each page of the log reads every shard, so more would cost reads for nothing.
 */
export const AUDIT_SHARDS = 32;

/** `tenantId` undefined: the platform's log, for events of users with no tenant. */
const auditLog = (tenantId: string | undefined): string => (tenantId ? `TENANT#${tenantId}#AUDIT` : 'PLATFORM#AUDIT');

/** The shard of an event, from its id alone: a retried write of the same event lands on the same key. */
export const auditShardOf = (eventId: string): number => createHash('sha256').update(eventId).digest().readUInt32BE(0) % AUDIT_SHARDS;

export const auditKey = (tenantId: string | undefined, at: string, eventId: string): Key => ({
  pk: `${auditLog(tenantId)}#${auditShardOf(eventId)}`,
  sk: `${at}#${eventId}`,
});

/**
 * Every partition a log may hold events in, to read it whole: its shards, and
 * the single partition events went to before the log was sharded (nothing is
 * written there any more; it empties as its events expire, `auditRetentionDays`).
 */
export const auditPartitions = (tenantId: string | undefined): string[] => [
  auditLog(tenantId),
  ...Array.from({ length: AUDIT_SHARDS }, (_, shard) => `${auditLog(tenantId)}#${shard}`),
];

export const userProfileKey = (userId: string): Key => ({ pk: `USER#${userId}`, sk: 'PROFILE' });

export const userMembershipKey = (tenantId: string, userId: string): Key => ({
  pk: `USER#${userId}`,
  sk: `MEMBERSHIP#${tenantId}`,
});

export const userPartition = (userId: string): string => `USER#${userId}`;

/** The user's memberships only: not the profile, nor anything else the user's partition may gain. */
export const userMembershipPrefix = (userId: string): Key => ({ pk: `USER#${userId}`, sk: 'MEMBERSHIP#' });

/**
 * User-owned (a sign-in belongs to no tenant until one is looked up), and apart
 * from the user's partition like the sessions: a read of the user never meets it.
 */
export const loginMarkerKey = (userId: string, signInHash: string): Key => ({
  pk: `USER#${userId}#LOGINS`,
  sk: `LOGIN#${signInHash}`,
});

export const revokedSessionKey = (userId: string, originJti: string): Key => ({
  pk: `USER#${userId}#SESSIONS`,
  sk: `SESSION#${originJti}`,
});

/** The user-wide revocation: every session that began before its `notBefore` is refused. */
export const allSessionsKey = (userId: string): Key => ({ pk: `USER#${userId}#SESSIONS`, sk: 'ALL' });

/** An event (Cognito's GlobalSignOut, by its CloudTrail event id) whose ending of every session is recorded. */
export const sessionsEndedByKey = (userId: string, eventId: string): Key => ({
  pk: `USER#${userId}#SESSIONS`,
  sk: `ENDED_BY#${eventId}`,
});

/** DynamoDB TTL wants epoch seconds. */
export const ttlAfterDays = (now: Date, days: number): number => Math.floor(now.getTime() / 1000) + days * 24 * 60 * 60;

export const ssoConfigKey = (tenantId: string): Key => ({ pk: `TENANT#${tenantId}`, sk: 'SSO' });

export const tenantDomainKey = (tenantId: string, domain: string): Key => ({
  pk: `TENANT#${tenantId}`,
  sk: `DOMAIN#${domain}`,
});

export const tenantDomainPrefix = (tenantId: string): Key => ({ pk: `TENANT#${tenantId}`, sk: 'DOMAIN#' });

export const domainClaimKey = (domain: string): Key => ({ pk: `DOMAIN#${domain}`, sk: 'CLAIM' });

export const identityProviderKey = (providerName: string): Key => ({ pk: `IDP#${providerName}`, sk: 'PROVIDER' });

export const ssoLinkKey = (userId: string, providerName: string, subject: string): Key => ({
  pk: `USER#${userId}`,
  sk: `SSO_LINK#${providerName}#${subject}`,
});

export const lockKey = (name: string): Key => ({ pk: `LOCK#${name}`, sk: 'LOCK' });

export const rateKey = (name: string, who: string, window: string): Key => ({ pk: `RATE#${name}#${who}`, sk: window });

/** Not tenant-owned: an identity is a user's, whichever tenant's inbox they write to. */
export const identityOwnerKey = (identityId: string): Key => ({ pk: `IDENTITY#${identityId}`, sk: 'OWNER' });

export const storageIdentityKey = (userId: string): Key => ({ pk: `USER#${userId}`, sk: 'STORAGE_IDENTITY' });

/**
 * One upload into a tenant's inbox: the object key and the upload's own id
 * (its S3 version), hashed so any key fits the sort key's size.
 */
export const inboxUploadKey = (tenantId: string, objectKey: string, uploadId: string): Key => ({
  pk: `TENANT#${tenantId}`,
  sk: `INBOX#${createHash('sha256').update(`${objectKey}\n${uploadId}`).digest('base64url')}`,
});
