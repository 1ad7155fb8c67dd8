/** The mocked DynamoDB document client shared by the data-module and trigger tests. */
import { DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';

export const ddbMock = mockClient(DynamoDBDocumentClient);

/** The `:pk` a Query asked for: which partition the code read. */
export const queriedPartition = (input: QueryCommandInput): string | undefined =>
  input.ExpressionAttributeValues?.[':pk'] as string | undefined;

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
