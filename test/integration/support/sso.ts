import { api } from './api';
import { publishTxt } from './dns';
import { stack } from './stack';
import type { Caller } from './world';

type Tenant = { tenantId: string; owner: Caller };

/** One of the local identity provider's clients (scripts/local/oidc-idp.ts); each tenant takes its own. */
export const localIdpClient = (index: number) => {
  const client = stack.oidcIdp.clients[index];
  if (!client) throw new Error(`the local identity provider has no client ${index}`);
  return client;
};

/** The owner connects the local OIDC provider's client `index` as the tenant's SSO. */
export const configureOidcSso = async (
  tenant: Tenant,
  index: number,
  settings: { defaultRole?: 'viewer' | 'member' | 'admin'; enforce?: boolean } = {},
): Promise<void> => {
  const client = localIdpClient(index);
  const res = await api(`/tenants/${tenant.tenantId}/sso`, {
    method: 'PUT',
    token: tenant.owner.accessToken,
    body: {
      type: 'oidc',
      issuer: stack.oidcIdp.issuer,
      clientId: client.clientId,
      clientSecret: client.clientSecret,
      defaultRole: settings.defaultRole ?? 'member',
      enforce: settings.enforce ?? false,
    },
  });
  if (res.status !== 200 && res.status !== 201) throw new Error(`SSO configuration failed: ${res.status} ${res.text}`);
};

/** The owner adds the domain, publishes its TXT record in the stack's DNS and verifies it, as a customer would. */
export const verifyDomain = async (tenant: Tenant, domain: string): Promise<void> => {
  const added = await api(`/tenants/${tenant.tenantId}/domains`, { method: 'POST', token: tenant.owner.accessToken, body: { domain } });
  if (added.status !== 201) throw new Error(`adding the domain failed: ${added.status} ${added.text}`);
  const { txtRecord } = added.body as { txtRecord: { name: string; value: string } };
  publishTxt(txtRecord.name, txtRecord.value);
  const verified = await api(`/tenants/${tenant.tenantId}/domains/${domain}/verify`, { method: 'POST', token: tenant.owner.accessToken });
  if (verified.status !== 200) throw new Error(`verifying the domain failed: ${verified.status} ${verified.text}`);
};

export const discover = (email: string) => api('/sso/discover', { method: 'POST', body: { email } });

export const uniqueDomain = (label: string): string => `${label}-${Math.random().toString(36).slice(2, 10)}.test`;
