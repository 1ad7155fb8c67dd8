import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { auditPut } from '../audit/audit-store';
import { actedBy, type TenantCaller } from '../auth/caller';
import { db, tableName } from '../db/client';
import { itemExists } from '../db/conditions';
import { tenantDirectory, tenantDirectoryKey, tenantKey } from '../db/keys';
import { prefixQuery, queryAll } from '../db/queries';
import { commit } from '../db/transaction';
import { NotFoundError } from '../errors';
import type { Tenant } from './tenant';

const toTenant = (item: Record<string, unknown>): Tenant => {
  const { tenantId, name, createdAt } = item as Tenant;
  return { tenantId, name, createdAt };
};

export const getTenant = async (tenantId: string): Promise<Tenant> => {
  const out = await db.send(new GetCommand({ TableName: tableName, Key: tenantKey(tenantId), ConsistentRead: true }));
  if (!out.Item) throw new NotFoundError('No such tenant.');
  return toTenant(out.Item);
};

/**
 * Renames the caller's tenant (and its directory entry) with its audit event,
 * in one transaction. The name lives only on these two items: every reader
 * (`/me`, `/me/invites`, accepted invites) reads it from the tenant.
 */
export const renameTenant = async (caller: TenantCaller, name: string, now: Date = new Date()): Promise<Tenant> => {
  const { tenantId } = caller;
  const before = await getTenant(tenantId);
  const set = {
    UpdateExpression: 'SET #name = :name',
    ConditionExpression: itemExists,
    ExpressionAttributeNames: { '#name': 'name' },
    ExpressionAttributeValues: { ':name': name },
  };
  await commit(
    [
      { Update: { TableName: tableName, Key: tenantKey(tenantId), ...set } },
      { Update: { TableName: tableName, Key: tenantDirectoryKey(tenantId), ...set } },
      auditPut(tenantId, { type: 'tenant.updated', ...actedBy(caller), targetId: tenantId, details: { from: before.name, to: name } }, now),
    ],
    () => new NotFoundError('No such tenant.'),
  );
  return { ...before, name };
};

/** Every tenant, for operators (the CLI): the directory partition read to its end, no cursor. */
export const listAllTenants = async (): Promise<Tenant[]> =>
  (await queryAll(prefixQuery(tenantDirectory()))).map(toTenant).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
