import type { Role } from '../auth/roles';
import { tableName } from '../db/client';
import { itemIsNew } from '../db/conditions';
import { memberEmailKey, memberKey, userMembershipKey, userProfileKey } from '../db/keys';
import type { TransactItem } from '../db/transaction';
import { ownerGained, tenantStillExists } from './owner-count';

export type Member = { userId: string; email: string; role: Role; joinedAt: string };

export type NewMembership = {
  tenantId: string;
  userId: string;
  email: string;
  role: Role;
  /** Set for a member who joined through the tenant's SSO: their account belongs to this tenant alone. */
  ssoTenantId?: string;
};

/**
 * The writes that make a user a member: the tenant's membership item (the one
 * the API trusts), its email entry (one member per email: invites check it),
 * the user's own view of it (for /me and token generation), and the user's
 * profile, whose active tenant is set only if it had none. Tenant names are
 * not copied anywhere: they are read from the tenant, so a rename shows at once.
 * The membership condition makes a retried or concurrent acceptance fail
 * instead of writing twice.
 */
export const newMembershipWrites = (m: NewMembership, now: Date): TransactItem[] => {
  const joinedAt = now.toISOString();
  return [
    m.role === 'owner' ? ownerGained(m.tenantId) : tenantStillExists(m.tenantId),
    {
      Put: {
        TableName: tableName,
        Item: {
          ...memberKey(m.tenantId, m.userId),
          entity: 'member',
          tenantId: m.tenantId,
          userId: m.userId,
          email: m.email,
          role: m.role,
          joinedAt,
        },
        ConditionExpression: itemIsNew,
      },
    },
    {
      Put: {
        TableName: tableName,
        Item: {
          ...userMembershipKey(m.tenantId, m.userId),
          entity: 'userMembership',
          tenantId: m.tenantId,
          role: m.role,
          joinedAt,
        },
        ConditionExpression: itemIsNew,
      },
    },
    {
      Put: {
        TableName: tableName,
        Item: { ...memberEmailKey(m.tenantId, m.email), entity: 'memberEmail', userId: m.userId },
        ConditionExpression: itemIsNew,
      },
    },
    {
      Update: {
        TableName: tableName,
        Key: userProfileKey(m.userId),
        UpdateExpression: `SET entity = :entity, userId = :userId, email = :email, activeTenantId = if_not_exists(activeTenantId, :tenantId), createdAt = if_not_exists(createdAt, :now)${m.ssoTenantId ? ', ssoTenantId = :ssoTenantId' : ''}`,
        ExpressionAttributeValues: {
          ':entity': 'user',
          ':userId': m.userId,
          ':email': m.email,
          ':tenantId': m.tenantId,
          ':now': joinedAt,
          ...(m.ssoTenantId ? { ':ssoTenantId': m.ssoTenantId } : {}),
        },
      },
    },
  ];
};
