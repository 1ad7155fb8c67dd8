import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from '../db/client';
import { domainClaimKey } from '../db/keys';
import { normalizeDomain } from './domain';

/**
 * The claim of a verified domain, apart from the rest of the domains' store so
 * that the Cognito triggers, which read it on sign-ins, load no list or cursor
 * code (nor need its key).
 */
export type DomainClaimItem = { pk: string; sk: string; entity: 'domainClaim'; tenantId: string; domain: string; verifiedAt: string };

export const getDomainClaim = async (domain: string): Promise<DomainClaimItem | undefined> => {
  const out = await db.send(new GetCommand({ TableName: tableName, Key: domainClaimKey(domain), ConsistentRead: true }));
  return out.Item as DomainClaimItem | undefined;
};

/** The tenant that verified the domain (its unique claim), if any: for discovery and the sign-in triggers. */
export const findDomainOwner = async (domain: string): Promise<string | undefined> =>
  (await getDomainClaim(normalizeDomain(domain)))?.tenantId;
