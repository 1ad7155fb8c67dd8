import { auditPut } from '../audit/audit-store';
import { actedBy, type TenantCaller } from '../auth/caller';
import { tableName } from '../db/client';
import { itemExists, itemIsNew } from '../db/conditions';
import { domainClaimKey, tenantDomainKey } from '../db/keys';
import { commit, type TransactItem } from '../db/transaction';
import { NotFoundError } from '../errors';
import { getDomainClaim } from './domain-claim';
import { getTenantDomain, NO_SUCH_DOMAIN } from './domain-store';

/**
 * Removes a domain from the caller's tenant and, in the same transaction,
 * its claim when this tenant holds it, so another tenant may verify it next.
 * A claim that is another tenant's is left alone; one that turned this
 * tenant's meanwhile (a verify racing) fails the check and nothing changes.
 */
export const removeDomain = async (caller: TenantCaller, domain: string, now: Date = new Date()): Promise<void> => {
  const item = await getTenantDomain(caller.tenantId, domain);
  if (!item) throw new NotFoundError(NO_SUCH_DOMAIN);
  const claim = await getDomainClaim(domain);
  const mine = { ':me': caller.tenantId };
  const claimWrite: TransactItem =
    claim?.tenantId === caller.tenantId
      ? {
          Delete: {
            TableName: tableName,
            Key: domainClaimKey(domain),
            ConditionExpression: 'tenantId = :me',
            ExpressionAttributeValues: mine,
          },
        }
      : {
          ConditionCheck: {
            TableName: tableName,
            Key: domainClaimKey(domain),
            ConditionExpression: `${itemIsNew} OR tenantId <> :me`,
            ExpressionAttributeValues: mine,
          },
        };
  await commit([
    { Delete: { TableName: tableName, Key: tenantDomainKey(caller.tenantId, domain), ConditionExpression: itemExists } },
    claimWrite,
    auditPut(
      caller.tenantId,
      { type: 'domain.removed', ...actedBy(caller), targetId: domain, details: { domain, status: item.status } },
      now,
    ),
  ]);
};
