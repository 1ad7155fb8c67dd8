import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from '../db/client';
import { identityProviderKey } from '../db/keys';
import { findDomainOwner } from '../domains/domain-claim';
import { emailDomainOf, type TenantSso } from './federation-policy';
import type { SsoConfig } from './sso-config';
import { getSsoConfig } from './sso-store';

/** What the triggers decide on, from the stored configuration (sso-store.ts reads it, strongly consistent). */
const tenantSsoOf = (tenantId: string, config: SsoConfig | undefined): TenantSso | undefined =>
  config && { tenantId, providerName: config.providerName, type: config.type, defaultRole: config.defaultRole, enforce: config.enforce };

/**
 * The tenant SSO an identity provider belongs to: its owner record and that
 * tenant's configuration, both still there. Strongly consistent: a trigger
 * decides on a deletion made a moment ago; a failed read throws (the trigger
 * fails closed).
 */
export const findProviderSso = async (providerName: string): Promise<TenantSso | undefined> => {
  const owner = (await db.send(new GetCommand({ TableName: tableName, Key: identityProviderKey(providerName), ConsistentRead: true }))).Item
    ?.tenantId;
  if (typeof owner !== 'string') return undefined;
  const sso = tenantSsoOf(owner, await getSsoConfig(owner));
  return sso?.providerName === providerName ? sso : undefined;
};

/** The SSO that requires its own sign-in for this email's domain, if any (one read when the domain is no customer's). */
export const findEnforcingSso = async (email: string | undefined): Promise<TenantSso | undefined> => {
  const domain = emailDomainOf(email);
  return enforcingSsoOf(domain ? await findDomainOwner(domain) : undefined);
};

/**
 * The domain owner's SSO if it enforces, for a caller that already read the
 * owner and perhaps that tenant's SSO (`known`): nothing is read twice.
 */
export const enforcingSsoOf = async (
  owner: string | undefined,
  known: readonly (TenantSso | undefined)[] = [],
): Promise<TenantSso | undefined> => {
  if (!owner) return undefined;
  const sso = known.find((s) => s?.tenantId === owner) ?? tenantSsoOf(owner, await getSsoConfig(owner));
  return sso?.enforce ? sso : undefined;
};
