import { auditPut } from '../audit/audit-store';
import { actedBy, type TenantCaller } from '../auth/caller';
import { tableName } from '../db/client';
import { itemIsNew } from '../db/conditions';
import { tenantDomainKey } from '../db/keys';
import { commit } from '../db/transaction';
import { ConflictError, ValidationError } from '../errors';
import { isConsumerDomain } from './consumer-domains';
import { MAX_DOMAINS_PER_TENANT, newChallengeValue, type TenantDomain } from './domain';
import { countTenantDomains, type DomainItem, toTenantDomain } from './domain-store';

/**
 * Adds a domain to the caller's tenant, pending, with a fresh challenge value
 * for its TXT record. Another tenant may hold the same domain pending: only
 * verification is unique (the claim), so adding reveals nothing about whether
 * someone else holds it. A consumer mail domain is refused (400); the same
 * domain twice in a tenant, or a tenant already at its limit, is a 409.
 */
export const addDomain = async (caller: TenantCaller, domain: string, now: Date = new Date()): Promise<TenantDomain> => {
  if (isConsumerDomain(domain)) {
    throw new ValidationError('A public mail domain cannot be claimed.', [
      { path: 'domain', message: `${domain} is a public mail provider's domain; add your organization's own domain` },
    ]);
  }
  // A bound on what one tenant stores, not a security rule: two concurrent adds may pass it together.
  if ((await countTenantDomains(caller.tenantId)) >= MAX_DOMAINS_PER_TENANT) {
    throw new ConflictError(`This tenant already holds ${MAX_DOMAINS_PER_TENANT} domains; remove one before adding another.`);
  }
  const item: DomainItem = {
    ...tenantDomainKey(caller.tenantId, domain),
    entity: 'domain',
    tenantId: caller.tenantId,
    domain,
    status: 'pending',
    txtValue: newChallengeValue(),
    createdAt: now.toISOString(),
  };
  await commit(
    [
      { Put: { TableName: tableName, Item: item, ConditionExpression: itemIsNew } },
      auditPut(caller.tenantId, { type: 'domain.added', ...actedBy(caller), targetId: domain, details: { domain } }, now),
    ],
    () => new ConflictError(`${domain} is already added to this tenant.`),
  );
  return toTenantDomain(item);
};
