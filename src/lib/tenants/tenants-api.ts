import * as z from 'zod';
import { defineRoute } from '../http/api-route';
import { tenantPath, timestamp } from '../http/schemas';
import { emailSchema } from '../invites/invite';
import { inviteSchema } from '../invites/invites-api';
import { tenantNameSchema } from './tenant';

export const tenantSchema = z.object({ tenantId: z.string(), name: z.string(), createdAt: timestamp }).meta({
  id: 'Tenant',
  examples: [{ tenantId: '7d9e4b2a-1c3f-4e5d-8a6b-9c0d1e2f3a4b', name: 'Acme', createdAt: '2026-03-01T09:30:00.000Z' }],
});

export const createdTenantSchema = z.object({ tenant: tenantSchema, invite: inviteSchema }).meta({ id: 'CreatedTenant' });

export const createTenantRoute = defineRoute({
  operationId: 'createTenant',
  method: 'post',
  path: '/tenants',
  tag: 'Tenants',
  summary: 'Create a tenant and invite its owner',
  description:
    "Members of the `platform-admin` Cognito group only. The owner's invite is emailed with its sign-up link; the API never returns the invite's code.",
  access: { kind: 'platformAdmin' },
  input: { body: z.strictObject({ name: tenantNameSchema, ownerEmail: emailSchema }) },
  responses: { 201: createdTenantSchema },
  errors: [429],
});

export const getTenantRoute = defineRoute({
  operationId: 'getTenant',
  method: 'get',
  path: '/tenants/{tenantId}',
  tag: 'Tenants',
  summary: "The caller's tenant",
  description: "viewer+; the path's tenant must be the token's `tenant_id`.",
  access: { kind: 'tenant', action: 'tenant.read' },
  input: { path: tenantPath },
  responses: { 200: tenantSchema },
  errors: [404],
});

export const updateTenantRoute = defineRoute({
  operationId: 'updateTenant',
  method: 'patch',
  path: '/tenants/{tenantId}',
  tag: 'Tenants',
  summary: 'Rename the tenant',
  description: 'admin+.',
  access: { kind: 'tenant', action: 'tenant.update' },
  input: { path: tenantPath, body: z.strictObject({ name: tenantNameSchema }) },
  responses: { 200: tenantSchema },
  errors: [404],
});
