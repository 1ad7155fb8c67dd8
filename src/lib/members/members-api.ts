import * as z from 'zod';
import { roleSchema } from '../auth/roles';
import { defineRoute } from '../http/api-route';
import { pageOf, pathId, tenantPath, timestamp } from '../http/schemas';
import { listQuerySchema } from '../pagination/list-query';

export const memberSchema = z
  .object({
    userId: z.string().meta({ description: "The user's Cognito `sub`." }),
    email: z.string(),
    role: roleSchema,
    joinedAt: timestamp,
  })
  .meta({
    id: 'Member',
    examples: [
      { userId: '5a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', email: 'ana@acme.test', role: 'admin', joinedAt: '2026-03-01T09:30:00.000Z' },
    ],
  });

export const memberPageSchema = pageOf(memberSchema, 'MemberPage');

const memberPath = z.object({ tenantId: pathId, userId: pathId });

export const listMembersRoute = defineRoute({
  operationId: 'listMembers',
  method: 'get',
  path: '/tenants/{tenantId}/members',
  tag: 'Members',
  summary: "List the tenant's members",
  description: 'viewer+.',
  access: { kind: 'tenant', action: 'members.list' },
  input: { path: tenantPath, query: listQuerySchema },
  responses: { 200: memberPageSchema },
});

export const updateMemberRoleRoute = defineRoute({
  operationId: 'updateMemberRole',
  method: 'patch',
  path: '/tenants/{tenantId}/members/{userId}',
  tag: 'Members',
  summary: "Change a member's role",
  description: 'admin+; only an owner grants or removes `owner`, and the last owner cannot be demoted (409).',
  access: { kind: 'tenant', action: 'members.update' },
  input: { path: memberPath, body: z.strictObject({ role: roleSchema }) },
  responses: { 200: memberSchema },
});

export const removeMemberRoute = defineRoute({
  operationId: 'removeMember',
  method: 'delete',
  path: '/tenants/{tenantId}/members/{userId}',
  tag: 'Members',
  summary: 'Remove a member',
  description:
    "admin+; an owner only by an owner, never the last owner (409). Revokes the email's pending invite here in the same transaction.",
  access: { kind: 'tenant', action: 'members.remove' },
  input: { path: memberPath },
  responses: { 204: null },
});
