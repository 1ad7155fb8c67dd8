import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from '../db/client';
import { tenantDomainKey, tenantDomainPrefix } from '../db/keys';
import { pagedQuery } from '../db/paged-query';
import { prefixQuery } from '../db/queries';
import type { ListQuery, Page } from '../pagination/list-query';
import { challengeName, type DomainStatus, type TenantDomain } from './domain';

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

/** Verify and remove answer it alike (here, so removing loads no DNS code or its config). */
export const NO_SUCH_DOMAIN = 'No such domain in this tenant.';

export const getTenantDomain = async (tenantId: string, domain: string): Promise<DomainItem | undefined> => {
  const out = await db.send(new GetCommand({ TableName: tableName, Key: tenantDomainKey(tenantId, domain), ConsistentRead: true }));
  return out.Item as DomainItem | undefined;
};

/** How many domains the tenant holds, pending and verified. */
export const countTenantDomains = async (tenantId: string): Promise<number> => {
  const out = await db.send(new QueryCommand({ ...prefixQuery(tenantDomainPrefix(tenantId)), Select: 'COUNT' }));
  return out.Count ?? 0;
};

export const listTenantDomains = (tenantId: string, list: ListQuery): Promise<Page<TenantDomain>> =>
  pagedQuery({ tenantId, list: 'domains' }, list, prefixQuery(tenantDomainPrefix(tenantId)), toTenantDomain);
