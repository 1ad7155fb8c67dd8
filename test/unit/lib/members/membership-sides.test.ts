import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import type { TenantCaller } from '../../../../src/lib/auth/caller';
import { emailInviteKey, memberKey, userMembershipKey } from '../../../../src/lib/db/keys';
import type { TransactItem } from '../../../../src/lib/db/transaction';
import { changeMemberRole, removeMember } from '../../../../src/lib/members/member-store';
import { newMembershipWrites } from '../../../../src/lib/members/membership';
import { ddbMock, withMockedTableAt } from '../../support/dynamodb';

/**
 * The auth context reads a membership from the user's side (src/lib/auth/session-state.ts),
 * the member list and the rules from the tenant's: that is only sound while every write
 * of a membership changes both sides in the same transaction, as each path here must.
 */

const T = 'tenant-a';
const U = 'user-7';
const NOW = new Date('2025-06-02T09:00:00.000Z');
const owner: TenantCaller = { userId: 'owner-1', sessionId: 's', clientId: 'c', isPlatformAdmin: false, tenantId: T, role: 'owner' };

type Side = { op: 'Put' | 'Update' | 'Delete'; role: unknown };

/** What a transaction does to one key: the operation, and the role it leaves there. */
const sideOf = (items: TransactItem[], key: { pk: string; sk: string }): Side | undefined => {
  for (const item of items) {
    if (item.Put && item.Put.Item?.pk === key.pk && item.Put.Item?.sk === key.sk) return { op: 'Put', role: item.Put.Item.role };
    if (item.Update && item.Update.Key?.pk === key.pk && item.Update.Key?.sk === key.sk) {
      return { op: 'Update', role: item.Update.ExpressionAttributeValues?.[':new'] };
    }
    if (item.Delete && item.Delete.Key?.pk === key.pk && item.Delete.Key?.sk === key.sk) return { op: 'Delete', role: undefined };
  }
  return undefined;
};

const committed = (): TransactItem[][] =>
  ddbMock.commandCalls(TransactWriteCommand).map((call) => (call.args[0].input.TransactItems ?? []) as TransactItem[]);

const memberItem = (role: string) => ({
  ...memberKey(T, U),
  userId: U,
  email: 'seven@acme.test',
  role,
  joinedAt: '2025-01-01T00:00:00.000Z',
});

describe('every write of a membership changes both its sides in one transaction', () => {
  withMockedTableAt(NOW);

  it('creates both sides with the same role when a user joins', () => {
    // Act
    const writes = newMembershipWrites({ tenantId: T, userId: U, email: 'seven@acme.test', role: 'admin' }, NOW);

    // Assess
    expect(sideOf(writes, memberKey(T, U))).toEqual({ op: 'Put', role: 'admin' });
    expect(sideOf(writes, userMembershipKey(T, U))).toEqual({ op: 'Put', role: 'admin' });
  });

  it('changes the role on both sides in the one transaction of a role change', async () => {
    // Prepare
    ddbMock.on(GetCommand, { Key: memberKey(T, U) }).resolves({ Item: memberItem('member') });
    ddbMock.on(TransactWriteCommand).resolves({});

    // Act
    await changeMemberRole(owner, U, 'viewer');

    // Assess
    expect(committed()).toHaveLength(1);
    const [writes = []] = committed();
    expect(sideOf(writes, memberKey(T, U))).toEqual({ op: 'Update', role: 'viewer' });
    expect(sideOf(writes, userMembershipKey(T, U))).toEqual({ op: 'Update', role: 'viewer' });
  });

  it('deletes both sides in the one transaction of a removal', async () => {
    // Prepare
    ddbMock.on(GetCommand, { Key: memberKey(T, U) }).resolves({ Item: memberItem('member') });
    ddbMock.on(GetCommand, { Key: emailInviteKey(T, 'seven@acme.test') }).resolves({});
    ddbMock.on(TransactWriteCommand).resolves({});

    // Act
    await removeMember(owner, U);

    // Assess
    expect(committed()).toHaveLength(1);
    const [writes = []] = committed();
    expect(sideOf(writes, memberKey(T, U))?.op).toBe('Delete');
    expect(sideOf(writes, userMembershipKey(T, U))?.op).toBe('Delete');
  });
});
