import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from '../db/client';
import { isConditionFailure } from '../db/conditions';
import { rateKey } from '../db/keys';
import { emailDomain } from '../domains/domain';
import { getDomainClaim } from '../domains/domain-claim';
import { TooManyRequestsError } from '../errors';
import { type SsoSettings, ssoSettings } from './sso-settings';
import { getSsoConfig } from './sso-store';

export type Discovery = { sso: true; authorizeUrl: string } | { sso: false };

/** Discovery requests one source address may make in a minute. */
export const DISCOVER_PER_MINUTE = 30;

/**
 * The tenant id whose SSO item is read when a domain is no customer's: no
 * tenant has it (tenant ids are UUIDs), and reading it costs what a real read
 * costs, so the answer's timing does not tell customers' domains apart.
 */
export const NO_TENANT = 'no-tenant';

/** The clock minute a request counts against, and the seconds until the next one begins. */
export const minuteWindow = (now: Date): { window: string; secondsLeft: number } => ({
  window: now.toISOString().slice(0, 16),
  secondsLeft: 60 - now.getUTCSeconds(),
});

/** Counts one request of `who` in this minute (a fixed-window counter with a TTL); over the limit is a 429. */
export const countDiscovery = async (who: string, now: Date, limit = DISCOVER_PER_MINUTE): Promise<void> => {
  const { window, secondsLeft } = minuteWindow(now);
  try {
    await db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: rateKey('discover', who, window),
        UpdateExpression: 'SET entity = :entity, #ttl = :ttl ADD #count :one',
        ConditionExpression: 'attribute_not_exists(#count) OR #count < :limit',
        ExpressionAttributeNames: { '#count': 'count', '#ttl': 'ttl' },
        ExpressionAttributeValues: { ':entity': 'rate', ':one': 1, ':limit': limit, ':ttl': Math.floor(now.getTime() / 1000) + 120 },
      }),
    );
  } catch (err) {
    if (isConditionFailure(err)) throw new TooManyRequestsError('Too many discovery requests; please wait a minute.', secondsLeft);
    throw err;
  }
};

/**
 * The hosted login's authorize URL straight to the tenant's provider. PKCE
 * (`code_challenge`) and `state` are the client's to add: it alone keeps the verifier.
 */
export const authorizeUrl = (providerName: string, settings: Pick<SsoSettings, 'hostedLoginUrl' | 'appClientId' | 'redirectUri'>) =>
  `${settings.hostedLoginUrl}/oauth2/authorize?${new URLSearchParams({
    identity_provider: providerName,
    client_id: settings.appClientId,
    response_type: 'code',
    scope: 'openid email profile',
    redirect_uri: settings.redirectUri,
  })}`;

/**
 * Where an email signs in: its domain's SSO when a tenant verified the domain
 * and configured SSO, else the password. Always exactly two reads, the same
 * whatever the domain (the claim, then a tenant's SSO item, a placeholder's
 * for a domain no one claims), and the same shape of answer.
 */
export const discoverSso = async (email: string, who: string, now: Date = new Date()): Promise<Discovery> => {
  await countDiscovery(who, now);
  // A domain no tenant could verify still costs its read, under a name no claim has.
  const claim = await getDomainClaim(emailDomain(email) ?? NO_TENANT);
  const tenantId = claim?.verifiedAt ? claim.tenantId : undefined;
  const sso = await getSsoConfig(tenantId ?? NO_TENANT);
  if (!tenantId || !sso) return { sso: false };
  return { sso: true, authorizeUrl: authorizeUrl(sso.providerName, ssoSettings) };
};
