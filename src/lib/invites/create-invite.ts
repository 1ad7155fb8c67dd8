import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { auditPut } from '../audit/audit-store';
import type { Role } from '../auth/roles';
import { db } from '../db/client';
import { isConditionFailure } from '../db/conditions';
import { ConflictError } from '../errors';
import { tenantStillExists } from '../members/owner-count';
import { getTenant } from '../tenants/tenant-store';
import type { Invite } from './invite';
import { sendInviteEmail } from './invite-email';
import { newInviteWrites } from './invite-store';

type Meta = { ip?: string; userAgent?: string };

/**
 * Invites an email into a tenant: the invite, its index entry and the audit
 * event in one transaction, then the email. A second pending invite for the
 * same email in the same tenant fails its condition: 409, however many race.
 */
export const createInvite = async (
  tenantId: string,
  input: { email: string; role: Role },
  actorId: string,
  meta: Meta,
  now: Date = new Date(),
): Promise<Invite> => {
  const tenant = await getTenant(tenantId);
  const { invite, writes } = newInviteWrites(
    { tenantId, tenantName: tenant.name, email: input.email, role: input.role, invitedBy: actorId },
    now,
  );
  try {
    await db.send(
      new TransactWriteCommand({
        TransactItems: [
          tenantStillExists(tenantId),
          ...writes,
          auditPut(
            tenantId,
            { type: 'invite.created', actorId, targetId: invite.inviteId, details: { email: invite.email, role: invite.role }, ...meta },
            now,
          ),
        ],
      }),
    );
  } catch (err) {
    if (isConditionFailure(err)) throw new ConflictError('A pending invite for that email already exists in this tenant.');
    throw err;
  }
  await sendInviteEmail(invite, tenant.name);
  return invite;
};
