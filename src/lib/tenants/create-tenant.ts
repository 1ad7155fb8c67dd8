import { randomUUID } from 'node:crypto';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { auditPut } from '../audit/audit-store';
import { db, tableName } from '../db/client';
import { itemIsNew } from '../db/conditions';
import { tenantKey } from '../db/keys';
import type { Invite } from '../invites/invite';
import { newInviteWrites } from '../invites/invite-store';
import type { Tenant } from './tenant';

export type CreateTenantInput = { name: string; ownerEmail: string; actorId: string };

/**
 * Creates a tenant and its owner's invite in one transaction, with both audit
 * events: there is never a tenant without an owner invite, nor an event
 * without its change.
 */
export const createTenant = async (input: CreateTenantInput, now: Date = new Date()): Promise<{ tenant: Tenant; invite: Invite }> => {
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
            Item: { ...tenantKey(tenant.tenantId), entity: 'tenant', ...tenant },
            ConditionExpression: itemIsNew,
          },
        },
        ...writes,
        auditPut(
          tenant.tenantId,
          { type: 'tenant.created', actorId: input.actorId, targetId: tenant.tenantId, details: { name: tenant.name } },
          now,
        ),
        auditPut(
          tenant.tenantId,
          {
            type: 'invite.created',
            actorId: input.actorId,
            targetId: invite.inviteId,
            details: { email: invite.email, role: invite.role },
          },
          now,
        ),
      ],
    }),
  );
  return { tenant, invite };
};
