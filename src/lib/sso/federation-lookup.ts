import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Role } from '../auth/roles';
import { db, tableName } from '../db/client';
import { identityProviderKey, type Key, ssoConfigKey } from '../db/keys';
import { findDomainOwner } from '../domains/domain-claim';
import { emailDomainOf, type TenantSso } from './federation-policy';

/** Strongly consistent: a trigger decides on a deletion made a moment ago. A failed read throws (the trigger fails closed). */
const getItem = async (key: Key): Promise<Record<string, unknown> | undefined> =>
  (await db.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }))).Item;

const toTenantSso = (item: Record<string, unknown> | undefined): TenantSso | undefined => {
  if (!item) return undefined;
  const { tenantId, providerName, type, defaultRole, enforce } = item as TenantSso & { defaultRole: Role };
  return { tenantId, providerName, type, defaultRole, enforce: enforce === true };
};

/** The tenant SSO an identity provider belongs to: its owner record and that tenant's configuration, both still there. */
export const findProviderSso = async (providerName: string): Promise<TenantSso | undefined> => {
  const owner = (await getItem(identityProviderKey(providerName)))?.tenantId;
  if (typeof owner !== 'string') return undefined;
  const sso = toTenantSso(await getItem(ssoConfigKey(owner)));
  return sso?.providerName === providerName ? sso : undefined;
};

/** The SSO that requires its own sign-in for this email's domain, if any (one read when the domain is no customer's). */
export const findEnforcingSso = async (email: string | undefined): Promise<TenantSso | undefined> => {
  const domain = emailDomainOf(email);
  const owner = domain ? await findDomainOwner(domain) : undefined;
  if (!owner) return undefined;
  const sso = toTenantSso(await getItem(ssoConfigKey(owner)));
  return sso?.enforce ? sso : undefined;
};
