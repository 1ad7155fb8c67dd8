import * as z from 'zod';
import { roleSchema } from '../auth/roles';
import { defineRoute } from '../http/api-route';
import { pageOf, pathId, tenantPath, timestamp } from '../http/schemas';
import { listQuerySchema } from '../pagination/list-query';
import { emailSchema, INVITE_STATUSES } from './invite';

const inviteShape = {
  inviteId: z.string(),
  tenantId: z.string(),
  email: z.string(),
  role: roleSchema,
  status: z.enum(INVITE_STATUSES).meta({ description: 'A pending invite past `expiresAt` reads `expired`.' }),
  expiresAt: timestamp,
  createdAt: timestamp,
};

const inviteExample = {
  inviteId: '0f8c2a4e-5b7d-4c1e-9a3f-2d6b8e1c7a90',
  tenantId: '7d9e4b2a-1c3f-4e5d-8a6b-9c0d1e2f3a4b',
  email: 'ana@acme.test',
  role: 'member',
  status: 'pending',
  expiresAt: '2026-03-08T09:30:00.000Z',
  createdAt: '2026-03-01T09:30:00.000Z',
} as const;

/** An invite as the API shows it; its code never leaves the invite email. */
export const inviteSchema = z.object(inviteShape).meta({ id: 'Invite', examples: [inviteExample] });

/** GET /me/invites: the invite with its tenant's current name. */
export const myInviteSchema = z
  .object({ ...inviteShape, tenantName: z.string() })
  .meta({ id: 'MyInvite', examples: [{ ...inviteExample, tenantName: 'Acme' }] });

export const invitePageSchema = pageOf(inviteSchema, 'InvitePage');
export const myInvitePageSchema = pageOf(myInviteSchema, 'MyInvitePage');

export const createdInviteSchema = z.object({ inviteId: z.string(), email: z.string(), role: roleSchema, expiresAt: timestamp }).meta({
  id: 'CreatedInvite',
  examples: [{ inviteId: inviteExample.inviteId, email: 'ana@acme.test', role: 'member', expiresAt: inviteExample.expiresAt }],
});

export const createInviteRoute = defineRoute({
  operationId: 'createInvite',
  method: 'post',
  path: '/tenants/{tenantId}/invites',
  tag: 'Invites',
  summary: 'Invite someone into the tenant',
  description:
    'admin+; only an owner invites an owner. The invite email carries the sign-up link with its code (the API never returns the code). 409 when the email already belongs to a member or has a pending invite here; 429 past the hourly invite limit.',
  access: { kind: 'tenant', action: 'invites.create' },
  input: { path: tenantPath, body: z.strictObject({ email: emailSchema, role: roleSchema }) },
  responses: { 201: createdInviteSchema },
  errors: [404, 429],
});

export const listInvitesRoute = defineRoute({
  operationId: 'listInvites',
  method: 'get',
  path: '/tenants/{tenantId}/invites',
  tag: 'Invites',
  summary: "List the tenant's invites",
  description: 'admin+.',
  access: { kind: 'tenant', action: 'invites.list' },
  input: { path: tenantPath, query: listQuerySchema },
  responses: { 200: invitePageSchema },
});

export const revokeInviteRoute = defineRoute({
  operationId: 'revokeInvite',
  method: 'delete',
  path: '/tenants/{tenantId}/invites/{inviteId}',
  tag: 'Invites',
  summary: 'Revoke a pending invite',
  description: 'admin+; 409 when the invite is no longer pending.',
  access: { kind: 'tenant', action: 'invites.revoke' },
  input: { path: z.object({ tenantId: pathId, inviteId: pathId }) },
  responses: { 204: null },
});
