import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { auditPut } from '../audit/audit-store';
import { db, tableName } from '../db/client';
import { isConditionFailure } from '../db/conditions';
import { tenantDirectory, tenantDirectoryKey, tenantKey } from '../db/keys';
import { prefixQuery, queryAll } from '../db/queries';
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

/** Renames a tenant (and its directory entry) with its audit event, in one transaction. */
export const renameTenant = async (
  tenantId: string,
  name: string,
  actorId: string,
  meta: { ip?: string; userAgent?: string },
  now: Date = new Date(),
): Promise<Tenant> => {
  const before = await getTenant(tenantId);
  const set = {
    UpdateExpression: 'SET #name = :name',
    ConditionExpression: 'attribute_exists(pk)',
    ExpressionAttributeNames: { '#name': 'name' },
    ExpressionAttributeValues: { ':name': name },
  };
  try {
    await db.send(
      new TransactWriteCommand({
        TransactItems: [
          { Update: { TableName: tableName, Key: tenantKey(tenantId), ...set } },
          { Update: { TableName: tableName, Key: tenantDirectoryKey(tenantId), ...set } },
          auditPut(
            tenantId,
            { type: 'tenant.updated', actorId, targetId: tenantId, details: { from: before.name, to: name }, ...meta },
            now,
          ),
        ],
      }),
    );
  } catch (err) {
    if (isConditionFailure(err)) throw new NotFoundError('No such tenant.');
    throw err;
  }
  return { ...before, name };
};

/** Every tenant, for operators (the CLI): the directory partition read to its end, no cursor. */
export const listAllTenants = async (): Promise<Tenant[]> =>
  (await queryAll(prefixQuery(tenantDirectory()))).map(toTenant).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
