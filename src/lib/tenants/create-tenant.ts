import { randomUUID } from 'node:crypto';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { auditPut } from '../audit/audit-store';
import { db, tableName } from '../db/client';
import { itemIsNew } from '../db/conditions';
import { tenantDirectoryKey, tenantKey } from '../db/keys';
import type { Invite } from '../invites/invite';
import { sendInviteEmail } from '../invites/invite-email';
import { newInviteWrites } from '../invites/invite-store';
import type { Tenant } from './tenant';

export type CreateTenantInput = { name: string; ownerEmail: string; actorId: string };
export type Meta = { ip?: string; userAgent?: string };

/**
 * Creates a tenant and its owner's invite in one transaction, with both audit
 * events (no tenant without an owner invite, no event without its change),
 * then emails the invite.
 */
export const createTenant = async (
  input: CreateTenantInput,
  now: Date = new Date(),
  meta: Meta = {},
): Promise<{ tenant: Tenant; invite: Invite; emailSent: boolean }> => {
  const tenant: Tenant = { tenantId: randomUUID(), name: input.name, createdAt: now.toISOString() };
  const { invite, writes } = newInviteWrites(
    { tenantId: tenant.tenantId, tenantName: tenant.name, email: input.ownerEmail, role: 'owner', invitedBy: input.actorId },
    now,
  );
  await db.send(
    new TransactWriteCommand({
      TransactItems: [
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
        ...writes,
        auditPut(
          tenant.tenantId,
          { type: 'tenant.created', actorId: input.actorId, targetId: tenant.tenantId, details: { name: tenant.name }, ...meta },
          now,
        ),
        auditPut(
          tenant.tenantId,
          {
            type: 'invite.created',
            actorId: input.actorId,
            targetId: invite.inviteId,
            details: { email: invite.email, role: invite.role },
            ...meta,
          },
          now,
        ),
      ],
    }),
  );
  const emailSent = await sendInviteEmail(invite, tenant.name);
  return { tenant, invite, emailSent };
};
