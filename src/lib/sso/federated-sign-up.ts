import { auditPut } from '../audit/audit-store';
import { findPasswordAccount, linkProviderToAccount } from '../cognito/user-pool-admin';
import { tableName } from '../db/client';
import { itemIsNew } from '../db/conditions';
import { ssoLinkKey, userProfileKey } from '../db/keys';
import { type TransactItem, tryCommit } from '../db/transaction';
import { findDomainOwner } from '../domains/domain-claim';
import { normalizeEmail } from '../invites/invite';
import { logger } from '../logger';
import { newMembershipWrites } from '../members/membership';
import { getUserRecord } from '../users/user-store';
import { findProviderSso } from './federation-lookup';
import {
  decideFederatedSignUp,
  type ExternalIdentity,
  emailDomainOf,
  SSO_LINKED_MESSAGE,
  SSO_REFUSED_MESSAGE,
  type TenantSso,
} from './federation-policy';

export type FederatedUser = {
  userPoolId: string;
  identity: ExternalIdentity;
  email: string | undefined;
  emailVerified: string | undefined;
};

/**
 * PreSignUp_ExternalProvider for a tenant's own provider: the first sign-in
 * of this subject. Refused (with one message for every cause) unless the rules
 * of `decideFederatedSignUp` allow it; a refusal is audited in the provider's
 * tenant. An existing password account with the email is linked, once, and
 * audited.
 */
export const admitFederatedSignUp = async (user: FederatedUser, now: Date = new Date()): Promise<void> => {
  const email = user.email ? normalizeEmail(user.email) : undefined;
  const domain = emailDomainOf(email);
  const [sso, domainOwner] = await Promise.all([findProviderSso(user.identity.providerName), domain ? findDomainOwner(domain) : undefined]);
  const account = sso && email && domainOwner === sso.tenantId ? await findPasswordAccount(user.userPoolId, email) : undefined;
  const memberships = account ? (await getUserRecord(account.userId)).memberships : [];
  const decision = decideFederatedSignUp({
    sso,
    email,
    emailVerified: user.emailVerified,
    domainOwner,
    existingAccount: account && { ...account, memberships },
  });
  if (decision.kind === 'refuse') {
    logger.warn('Federated sign-up refused', { reason: decision.reason });
    if (sso) await recordRefusal(sso, user.identity, decision.reason, now);
    throw new Error(SSO_REFUSED_MESSAGE);
  }
  if (decision.kind === 'link' && sso && email) {
    await recordLink(sso, { userId: decision.userId, email, joins: decision.joins }, user.identity, now);
    await linkProviderToAccount(user.userPoolId, decision.username, user.identity.providerName, user.identity.subject);
    logger.info('Federated identity linked to a password account');
    // Cognito fails the sign-in that linked ("Already found an entry for username …"); the next
    // one signs in as the linked account. Say so plainly instead.
    throw new Error(SSO_LINKED_MESSAGE);
  }
};

const recordRefusal = async (sso: TenantSso, identity: ExternalIdentity, reason: string, now: Date) => {
  // Best effort: the refusal stands whether or not it could be recorded.
  await tryCommit([
    auditPut(sso.tenantId, { type: 'sso.refused', actorId: identity.providerName, targetId: identity.subject, details: { reason } }, now),
  ]).catch((err) => logger.warn('The refused sign-in could not be audited', { err }));
};

/**
 * Before the link itself: the account is marked as the tenant's (so its
 * tokens carry that tenant alone; an account that belongs to no tenant yet
 * joins it with its default role) and the link audited, once per subject (a
 * retried trigger finds the marker and writes nothing). Written first, so a
 * link never exists unrecorded: anything but the marker refusing the write
 * (the profile gone, a membership made meanwhile) refuses the link.
 */
const recordLink = async (
  sso: TenantSso,
  account: { userId: string; email: string; joins: boolean },
  identity: ExternalIdentity,
  now: Date,
) => {
  const marker: TransactItem = {
    Put: {
      TableName: tableName,
      Item: { ...ssoLinkKey(account.userId, identity.providerName, identity.subject), entity: 'ssoLink', linkedAt: now.toISOString() },
      ConditionExpression: itemIsNew,
    },
  };
  const linked = { actorId: account.userId, targetId: account.userId };
  const items: TransactItem[] = account.joins
    ? [
        marker,
        ...newMembershipWrites(
          { tenantId: sso.tenantId, userId: account.userId, email: account.email, role: sso.defaultRole, ssoTenantId: sso.tenantId },
          now,
        ),
        auditPut(sso.tenantId, { type: 'member.sso_linked', ...linked, details: { provider: identity.providerName } }, now),
        auditPut(
          sso.tenantId,
          { type: 'member.joined_via_sso', ...linked, details: { role: sso.defaultRole, provider: sso.providerName } },
          now,
        ),
      ]
    : [
        marker,
        {
          Update: {
            TableName: tableName,
            Key: userProfileKey(account.userId),
            UpdateExpression: 'SET ssoTenantId = :tenantId',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: { ':tenantId': sso.tenantId },
          },
        },
        auditPut(sso.tenantId, { type: 'member.sso_linked', ...linked, details: { provider: identity.providerName } }, now),
      ];
  const result = await tryCommit(items);
  if (result.ok) return;
  // Only the marker's refusal means "already recorded" (a retried trigger).
  if (result.reason === 'condition' && result.failed.length === 1 && result.failed[0] === marker) return;
  throw new Error(SSO_REFUSED_MESSAGE);
};

/**
 * PostConfirmation of a user a tenant's provider created: just-in-time
 * membership of that tenant with its default role, audited as
 * `member.joined_via_sso`. The rules are checked again (the configuration may
 * have changed since PreSignUp); a retried delivery finds the membership and
 * writes nothing.
 */
export const joinThroughSso = async (
  user: { userId: string; email: string; emailVerified: string | undefined; identity: ExternalIdentity },
  now: Date = new Date(),
): Promise<{ tenantId: string; replayed: boolean }> => {
  const email = normalizeEmail(user.email);
  const domain = emailDomainOf(email);
  const [sso, domainOwner] = await Promise.all([findProviderSso(user.identity.providerName), domain ? findDomainOwner(domain) : undefined]);
  const decision = decideFederatedSignUp({ sso, email, emailVerified: user.emailVerified, domainOwner, existingAccount: undefined });
  if (decision.kind !== 'create' || !sso) throw new Error(SSO_REFUSED_MESSAGE);
  const { memberships } = await getUserRecord(user.userId);
  if (memberships.some((m) => m.tenantId === sso.tenantId)) return { tenantId: sso.tenantId, replayed: true };
  const result = await tryCommit([
    ...newMembershipWrites({ tenantId: sso.tenantId, userId: user.userId, email, role: sso.defaultRole, ssoTenantId: sso.tenantId }, now),
    auditPut(
      sso.tenantId,
      {
        type: 'member.joined_via_sso',
        actorId: user.userId,
        targetId: user.userId,
        details: { role: sso.defaultRole, provider: sso.providerName },
      },
      now,
    ),
  ]);
  if (result.ok) return { tenantId: sso.tenantId, replayed: false };
  // A concurrent delivery won the race: its membership is the one.
  const raced = (await getUserRecord(user.userId)).memberships.some((m) => m.tenantId === sso.tenantId);
  if (raced) return { tenantId: sso.tenantId, replayed: true };
  throw new Error(SSO_REFUSED_MESSAGE);
};
