import { auditPut } from '../audit/audit-store';
import { actedBy, type TenantCaller } from '../auth/caller';
import { tableName } from '../db/client';
import { itemExists, itemIsNew } from '../db/conditions';
import { domainClaimKey, tenantDomainKey } from '../db/keys';
import { commit, type TransactItem } from '../db/transaction';
import { CONCURRENT_CHANGE, ConflictError, NotFoundError } from '../errors';
import { lookupTxt, txtMatches } from './dns-txt';
import { challengeName, type TenantDomain } from './domain';
import { type DomainClaimItem, getDomainClaim } from './domain-claim';
import { getTenantDomain, NO_SUCH_DOMAIN, toTenantDomain } from './domain-store';

/** Deliberately names no one: which tenant holds a domain is that tenant's business. */
export const CLAIMED_ELSEWHERE = 'This domain is already verified by another organization. Contact support if you believe it is yours.';

const recordMissing = (name: string, value: string, seen: boolean) =>
  new ConflictError(
    `${seen ? `The TXT record at ${name} does not hold the expected value.` : `No TXT record was found at ${name}.`} ` +
      `Create a TXT record at ${name} with the value ${value}, then verify again (DNS changes can take a few minutes to appear).`,
  );

/**
 * Verifies a pending domain of the caller's tenant: a real DNS query for the
 * TXT record at `_tenantgate-challenge.<domain>`; when one of its values is
 * the challenge, the domain's unique claim (held by no one, or by this tenant)
 * and the tenant's item turn verified in one transaction with the audit
 * event. Verifying a verified domain answers it unchanged.
 */
export const verifyDomain = async (caller: TenantCaller, domain: string, now: Date = new Date()): Promise<TenantDomain> => {
  const item = await getTenantDomain(caller.tenantId, domain);
  if (!item) throw new NotFoundError(NO_SUCH_DOMAIN);
  if (item.status === 'verified') return toTenantDomain(item);
  // The record first: only a caller who proved control of the domain learns that another tenant
  // verified it (checking the claim first would tell any owner which domains are customers).
  const name = challengeName(domain);
  const records = await lookupTxt(name);
  if (!txtMatches(records, item.txtValue)) throw recordMissing(name, item.txtValue, records.length > 0);
  // Cheap; the transaction below checks it again, atomically.
  const claim = await getDomainClaim(domain);
  if (claim && claim.tenantId !== caller.tenantId) throw new ConflictError(CLAIMED_ELSEWHERE);

  const verifiedAt = now.toISOString();
  const claimPut: TransactItem = {
    Put: {
      TableName: tableName,
      Item: { ...domainClaimKey(domain), entity: 'domainClaim', tenantId: caller.tenantId, domain, verifiedAt } satisfies DomainClaimItem,
      ConditionExpression: `${itemIsNew} OR tenantId = :me`,
      ExpressionAttributeValues: { ':me': caller.tenantId },
    },
  };
  const markVerified: TransactItem = {
    Update: {
      TableName: tableName,
      Key: tenantDomainKey(caller.tenantId, domain),
      UpdateExpression: 'SET #status = :verified, verifiedAt = :at',
      // The very challenge that was checked: not one removed and added anew meanwhile.
      ConditionExpression: `${itemExists} AND txtValue = :txt`,
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':verified': 'verified', ':at': verifiedAt, ':txt': item.txtValue },
    },
  };
  await commit(
    [
      claimPut,
      markVerified,
      auditPut(caller.tenantId, { type: 'domain.verified', ...actedBy(caller), targetId: domain, details: { domain } }, now),
    ],
    (failed) => (failed.includes(claimPut) ? new ConflictError(CLAIMED_ELSEWHERE) : new ConflictError(CONCURRENT_CHANGE)),
  );
  return toTenantDomain({ ...item, status: 'verified', verifiedAt });
};
