import type { components } from '../../../client';
import { ApiError, api, must } from './index';
import type { Page } from './types';

type Schemas = components['schemas'];
/** POST /sso/discover: where an email's organization signs in. */
export type Discovery = Schemas['SsoDiscovery'];
/** The tenant's identity provider as GET /tenants/{tenantId}/sso answers it: never the client secret. */
export type SsoConfig = Schemas['SsoConfig'];
export type SsoInput = Schemas['SsoInput'];
export type TenantDomain = Schemas['TenantDomain'];

export const discover = (email: string): Promise<Discovery> => must(api().POST('/sso/discover', { body: { email } }));

/** The configuration, or undefined while the tenant has none (404). */
export const getSso = async (tenantId: string): Promise<SsoConfig | undefined> => {
  try {
    return await must(api().GET('/tenants/{tenantId}/sso', { params: { path: { tenantId } } }));
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return undefined;
    throw err;
  }
};

export const putSso = (tenantId: string, body: SsoInput): Promise<SsoConfig> =>
  must(api().PUT('/tenants/{tenantId}/sso', { params: { path: { tenantId } }, body }));

export const deleteSso = async (tenantId: string): Promise<void> => {
  await must(api().DELETE('/tenants/{tenantId}/sso', { params: { path: { tenantId } } }));
};

export const listDomains = (tenantId: string, cursor?: string): Promise<Page<TenantDomain>> =>
  must(api().GET('/tenants/{tenantId}/domains', { params: { path: { tenantId }, query: { limit: 25, ...(cursor ? { cursor } : {}) } } }));

export const addDomain = (tenantId: string, domain: string): Promise<TenantDomain> =>
  must(api().POST('/tenants/{tenantId}/domains', { params: { path: { tenantId } }, body: { domain } }));

export const verifyDomain = (tenantId: string, domain: string): Promise<TenantDomain> =>
  must(api().POST('/tenants/{tenantId}/domains/{domain}/verify', { params: { path: { tenantId, domain } } }));

export const removeDomain = async (tenantId: string, domain: string): Promise<void> => {
  await must(api().DELETE('/tenants/{tenantId}/domains/{domain}', { params: { path: { tenantId, domain } } }));
};
