import * as z from 'zod';
import { defineRoute } from '../http/api-route';
import { pageOf, pathId, tenantPath, timestamp } from '../http/schemas';
import { listQuerySchema } from '../pagination/list-query';
import { DOMAIN_STATUSES, domainSchema, MAX_DOMAINS_PER_TENANT } from './domain';

const domainExample = {
  domain: 'acme.com',
  status: 'pending',
  txtRecord: {
    name: '_tenantgate-challenge.acme.com',
    value: 'tenantgate-domain-verification=3q2-7wEjbR0h1Pmgk9sL4cZxT8vYdN6uAe5KoJ2fWnI',
  },
  createdAt: '2026-03-01T09:30:00.000Z',
} as const;

/** A domain of the tenant, with the TXT record that proves control of it. */
export const tenantDomainSchema = z
  .object({
    domain: z.string(),
    status: z
      .enum(DOMAIN_STATUSES)
      .meta({ description: '`verified` once the TXT record was seen; a domain is verified by at most one tenant.' }),
    txtRecord: z
      .object({ name: z.string(), value: z.string() })
      .meta({ description: 'Publish a DNS TXT record at `name` holding `value`, then call verify.' }),
    createdAt: timestamp,
    verifiedAt: timestamp.optional(),
  })
  .meta({
    id: 'TenantDomain',
    examples: [domainExample, { ...domainExample, status: 'verified', verifiedAt: '2026-03-01T09:42:00.000Z' }],
  });

export const tenantDomainPageSchema = pageOf(tenantDomainSchema, 'TenantDomainPage');

const domainPath = z.object({ tenantId: pathId, domain: domainSchema });

export const addDomainRoute = defineRoute({
  operationId: 'addDomain',
  method: 'post',
  path: '/tenants/{tenantId}/domains',
  tag: 'Domains',
  summary: 'Add a domain to verify',
  description:
    `owner only. Answers the domain pending, with the TXT record to publish. 400 for a public mail domain (gmail.com and the like, ` +
    `and names under them); 409 when the domain is already added to this tenant, or the tenant holds ${MAX_DOMAINS_PER_TENANT} domains. ` +
    'Another tenant may add the same domain; only one can verify it.',
  access: { kind: 'tenant', action: 'sso.manage' },
  input: { path: tenantPath, body: z.strictObject({ domain: domainSchema }) },
  responses: { 201: tenantDomainSchema },
});

export const listDomainsRoute = defineRoute({
  operationId: 'listDomains',
  method: 'get',
  path: '/tenants/{tenantId}/domains',
  tag: 'Domains',
  summary: "List the tenant's domains",
  description: 'owner only; pending and verified.',
  access: { kind: 'tenant', action: 'sso.manage' },
  input: { path: tenantPath, query: listQuerySchema },
  responses: { 200: tenantDomainPageSchema },
});

export const verifyDomainRoute = defineRoute({
  operationId: 'verifyDomain',
  method: 'post',
  path: '/tenants/{tenantId}/domains/{domain}/verify',
  tag: 'Domains',
  summary: 'Verify a domain by its DNS TXT record',
  description:
    'owner only. Looks up the TXT record at `_tenantgate-challenge.<domain>`; when it holds the value, the domain is verified. ' +
    'A verified domain answers unchanged. 409 when the record is missing or holds another value, or another tenant verified the domain; ' +
    '503 with Retry-After when DNS does not answer.',
  access: { kind: 'tenant', action: 'sso.manage' },
  input: { path: domainPath },
  responses: { 200: tenantDomainSchema },
});

export const removeDomainRoute = defineRoute({
  operationId: 'removeDomain',
  method: 'delete',
  path: '/tenants/{tenantId}/domains/{domain}',
  tag: 'Domains',
  summary: 'Remove a domain',
  description: 'owner only. Removes the domain and, when this tenant verified it, its claim: another tenant may then verify it.',
  access: { kind: 'tenant', action: 'sso.manage' },
  input: { path: domainPath },
  responses: { 204: null },
});
