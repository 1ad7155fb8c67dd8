/** The mocked DynamoDB document client shared by the data-module and trigger tests. */

import { DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, expect, vi } from 'vitest';
import { emailInviteKey } from '../../../src/lib/db/keys';

export const ddbMock = mockClient(DynamoDBDocumentClient);

/** The `:pk` a Query asked for: which partition the code read. */
export const queriedPartition = (input: QueryCommandInput): string | undefined =>
  input.ExpressionAttributeValues?.[':pk'] as string | undefined;

/** The pk of an audit event in its log: one of the log's shards, which one depends on the (random) event id. */
export const inAuditLogOf = (tenantId: string | undefined) =>
  expect.stringMatching(tenantId ? new RegExp(`^TENANT#${tenantId}#AUDIT#\\d+$`) : /^PLATFORM#AUDIT#\d+$/);

/** Items of a user's partition, as the table stores them. */
export const userProfileItem = (userId: string, email: string, activeTenantId?: string) => ({
  pk: `USER#${userId}`,
  sk: 'PROFILE',
  entity: 'user',
  userId,
  email,
  ...(activeTenantId ? { activeTenantId } : {}),
  createdAt: '2024-01-01T00:00:00.000Z',
});

export const userMembershipItem = (userId: string, tenantId: string, role: string, joinedAt: string) => ({
  pk: `USER#${userId}`,
  sk: `MEMBERSHIP#${tenantId}`,
  entity: 'userMembership',
  tenantId,
  tenantName: `Tenant ${tenantId}`,
  role,
  joinedAt,
});

/** An entry of the email's invite index (EMAIL#e / INVITE#t), as invite creation writes it. */
export const emailInviteItem = (invite: {
  email: string;
  tenantId: string;
  inviteId?: string;
  role?: string;
  status?: string;
  expiresAt: string;
  createdAt?: string;
}) => ({
  ...emailInviteKey(invite.tenantId, invite.email),
  entity: 'emailInvite',
  inviteId: invite.inviteId ?? `invite-of-${invite.tenantId}`,
  tenantId: invite.tenantId,
  tenantName: `Tenant ${invite.tenantId}`,
  email: invite.email,
  role: invite.role ?? 'member',
  status: invite.status ?? 'pending',
  expiresAt: invite.expiresAt,
  createdAt: invite.createdAt ?? '2025-06-01T09:00:00.000Z',
});

/** Each test of the suite starts with no mocked responses and the clock at `now`. */
export const withMockedTableAt = (now: Date): void => {
  beforeEach(() => {
    ddbMock.reset();
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(now);
  });
  afterEach(() => {
    vi.useRealTimers();
  });
};
