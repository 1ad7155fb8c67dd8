import { randomUUID } from 'node:crypto';
import { auditPut } from '../audit/audit-store';
import { actedBy, type Caller } from '../auth/caller';
import { tableName } from '../db/client';
import { itemIsNew } from '../db/conditions';
import { tenantDirectoryKey, tenantKey } from '../db/keys';
import { commit } from '../db/transaction';
import type { CreatedInvite } from '../invites/create-invite';
import { inviteTransaction } from '../invites/create-invite';
import { sendInviteEmail } from '../invites/invite-email';
import type { Tenant } from './tenant';

/**
 * Creates a tenant and its owner's invite in one transaction, with both audit
 * events (no tenant without an owner invite, no event without its change),
 * then emails the invite. The invite's code is returned for the operator CLI
 * only; the HTTP API never shows it.
 */
export const createTenant = async (
  caller: Caller,
  input: { name: string; ownerEmail: string },
  now: Date = new Date(),
): Promise<CreatedInvite & { tenant: Tenant }> => {
  const tenant: Tenant = { tenantId: randomUUID(), name: input.name, createdAt: now.toISOString() };
  const { invite, code, items, refusal } = inviteTransaction(caller, tenant.tenantId, { email: input.ownerEmail, role: 'owner' }, now, [
    {
      Put: {
        TableName: tableName,
        Item: { ...tenantKey(tenant.tenantId), entity: 'tenant', ownerCount: 0, ...tenant },
        ConditionExpression: itemIsNew,
      },
    },
    {
      Put: {
        TableName: tableName,
        Item: { ...tenantDirectoryKey(tenant.tenantId), entity: 'tenantDirectory', ...tenant },
        ConditionExpression: itemIsNew,
      },
    },
    auditPut(
      tenant.tenantId,
      { type: 'tenant.created', ...actedBy(caller), targetId: tenant.tenantId, details: { name: tenant.name } },
      now,
    ),
  ]);
  await commit(items, refusal);
  const emailSent = await sendInviteEmail(invite, code, tenant.name);
  return { tenant, invite, code, emailSent };
};
