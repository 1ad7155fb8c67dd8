import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from '../db/client';
import { itemExists, itemIsNew } from '../db/conditions';
import { identityProviderKey, ssoConfigKey } from '../db/keys';
import type { TransactItem } from '../db/transaction';
import { NotFoundError } from '../errors';
import type { SsoConfig } from './sso-config';

/** The stored configuration: what the API shows, never a secret, never the metadata XML. */
export const toSsoConfig = (item: Record<string, unknown>): SsoConfig => {
  const common = {
    providerName: String(item.providerName),
    defaultRole: item.defaultRole as SsoConfig['defaultRole'],
    enforce: item.enforce === true,
    createdAt: String(item.createdAt),
    updatedAt: String(item.updatedAt),
  };
  if (item.type === 'oidc') return { type: 'oidc', issuer: String(item.issuer), clientId: String(item.clientId), ...common };
  return { type: 'saml', ...(typeof item.metadataUrl === 'string' ? { metadataUrl: item.metadataUrl } : {}), ...common };
};

/** The caller's tenant's configuration, or a 404. */
export const readSso = async (caller: { tenantId: string }): Promise<SsoConfig> => {
  const config = await getSsoConfig(caller.tenantId);
  if (!config) throw new NotFoundError('This tenant has no SSO configuration.');
  return config;
};

export const getSsoConfig = async (tenantId: string): Promise<SsoConfig | undefined> => {
  const out = await db.send(new GetCommand({ TableName: tableName, Key: ssoConfigKey(tenantId), ConsistentRead: true }));
  return out.Item ? toSsoConfig(out.Item) : undefined;
};

/**
 * The writes that store a tenant's configuration and the provider's owner
 * (`IDP#<name>` → tenant, which the sign-in triggers read). The config's
 * condition holds it to what the use case read: new, or unchanged since
 * (two PUTs at once: one wins, the other is a 409 and may retry).
 */
export const saveSsoWrites = (tenantId: string, config: SsoConfig, previous: SsoConfig | undefined): TransactItem[] => [
  {
    Put: {
      TableName: tableName,
      Item: { ...ssoConfigKey(tenantId), entity: 'sso', tenantId, ...config },
      ...(previous
        ? { ConditionExpression: 'updatedAt = :previous', ExpressionAttributeValues: { ':previous': previous.updatedAt } }
        : { ConditionExpression: itemIsNew }),
    },
  },
  {
    Put: {
      TableName: tableName,
      Item: { ...identityProviderKey(config.providerName), entity: 'identityProvider', tenantId, providerName: config.providerName },
      // The name is derived from the tenant id, so this only ever holds; it guards against a collision all the same.
      ConditionExpression: `${itemIsNew} OR tenantId = :tenantId`,
      ExpressionAttributeValues: { ':tenantId': tenantId },
    },
  },
];

export const deleteSsoWrites = (tenantId: string, providerName: string): TransactItem[] => [
  { Delete: { TableName: tableName, Key: ssoConfigKey(tenantId), ConditionExpression: itemExists } },
  { Delete: { TableName: tableName, Key: identityProviderKey(providerName) } },
];
