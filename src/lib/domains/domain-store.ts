import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from '../db/client';
import { domainClaimKey, tenantDomainKey, tenantDomainPrefix } from '../db/keys';
import { pagedQuery } from '../db/paged-query';
import { prefixQuery, queryAll } from '../db/queries';
import type { ListQuery, Page } from '../pagination/list-query';
import { challengeName, type DomainStatus, normalizeDomain, type TenantDomain } from './domain';

/**
 * The stored items (others read them: discovery, the Cognito triggers):
 * - `tenantDomainKey(t, d)`: `{ entity: 'domain', tenantId, domain, status, txtValue, createdAt, verifiedAt? }`,
 *   the tenant's claim, pending until its TXT record is seen;
 * - `domainClaimKey(d)`: `{ entity: 'domainClaim', tenantId, domain, verifiedAt }`, the one tenant that
 *   verified d: unique by its key, so two tenants can never both hold a verified d.
 */
export type DomainItem = {
  pk: string;
  sk: string;
  entity: 'domain';
  tenantId: string;
  domain: string;
  status: DomainStatus;
  txtValue: string;
  createdAt: string;
  verifiedAt?: string;
};

export type DomainClaimItem = { pk: string; sk: string; entity: 'domainClaim'; tenantId: string; domain: string; verifiedAt: string };

/** A stored domain as the API shows it (never the tenant id or the keys). */
export const toTenantDomain = (item: Record<string, unknown>): TenantDomain => {
  const d = item as DomainItem;
  return {
    domain: d.domain,
    status: d.status,
    txtRecord: { name: challengeName(d.domain), value: d.txtValue },
    createdAt: d.createdAt,
    ...(d.verifiedAt ? { verifiedAt: d.verifiedAt } : {}),
  };
};

export const getTenantDomain = async (tenantId: string, domain: string): Promise<DomainItem | undefined> => {
  const out = await db.send(new GetCommand({ TableName: tableName, Key: tenantDomainKey(tenantId, domain), ConsistentRead: true }));
  return out.Item as DomainItem | undefined;
};

export const getDomainClaim = async (domain: string): Promise<DomainClaimItem | undefined> => {
  const out = await db.send(new GetCommand({ TableName: tableName, Key: domainClaimKey(domain), ConsistentRead: true }));
  return out.Item as DomainClaimItem | undefined;
};

/** How many domains the tenant holds, pending and verified. */
export const countTenantDomains = async (tenantId: string): Promise<number> => {
  const out = await db.send(new QueryCommand({ ...prefixQuery(tenantDomainPrefix(tenantId)), Select: 'COUNT' }));
  return out.Count ?? 0;
};

export const listTenantDomains = (tenantId: string, list: ListQuery): Promise<Page<TenantDomain>> =>
  pagedQuery({ tenantId, list: 'domains' }, list, prefixQuery(tenantDomainPrefix(tenantId)), toTenantDomain);

/** The tenant that verified the domain (its unique claim), if any. For discovery and the sign-in triggers. */
export const findDomainOwner = async (domain: string): Promise<string | undefined> =>
  (await getDomainClaim(normalizeDomain(domain)))?.tenantId;

/** The tenant's verified domains, e.g. to check an identity provider's asserted email against. */
export const listVerifiedDomains = async (tenantId: string): Promise<string[]> =>
  (await queryAll(prefixQuery(tenantDomainPrefix(tenantId))))
    .filter((item) => item.status === 'verified')
    .map((item) => item.domain as string);
