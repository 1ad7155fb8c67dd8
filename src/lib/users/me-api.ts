import * as z from 'zod';
import { roleSchema } from '../auth/roles';
import { defineRoute } from '../http/api-route';
import { pathId } from '../http/schemas';
import { myInvitePageSchema } from '../invites/invites-api';
import { listQuerySchema } from '../pagination/list-query';

/** One of the caller's memberships, with the tenant's current name. */
export const membershipSchema = z
  .object({ tenantId: z.string(), tenantName: z.string(), role: roleSchema })
  .meta({ id: 'Membership', examples: [{ tenantId: '7d9e4b2a-1c3f-4e5d-8a6b-9c0d1e2f3a4b', tenantName: 'Acme', role: 'owner' }] });

export const meSchema = z
  .object({
    userId: z.string().meta({ description: "The caller's Cognito `sub`." }),
    email: z.string().nullable(),
    tenantId: z.string().nullable().meta({ description: "The token's tenant (`tenant_id`); null without a membership." }),
    role: roleSchema.nullable(),
    memberships: z.array(membershipSchema),
  })
  .meta({ id: 'Me' });

export const activeTenantSchema = z.object({ tenantId: z.string() }).meta({ id: 'ActiveTenant' });

export const getMeRoute = defineRoute({
  operationId: 'getMe',
  method: 'get',
  path: '/me',
  tag: 'Me',
  summary: 'The caller, their current tenant and every membership',
  access: { kind: 'signedIn' },
  input: {},
  responses: { 200: meSchema },
});

export const setActiveTenantRoute = defineRoute({
  operationId: 'setActiveTenant',
  method: 'put',
  path: '/me/active-tenant',
  tag: 'Me',
  summary: 'Choose the tenant of the next tokens',
  description: "The caller must be a member of it (else 403). Refresh the tokens afterwards to get the new tenant's claims.",
  access: { kind: 'signedIn' },
  input: { body: z.strictObject({ tenantId: pathId }) },
  responses: { 200: activeTenantSchema },
  errors: [403],
});

export const listMyInvitesRoute = defineRoute({
  operationId: 'listMyInvites',
  method: 'get',
  path: '/me/invites',
  tag: 'Me',
  summary: "Pending invites to the caller's verified email",
  access: { kind: 'signedIn' },
  input: { query: listQuerySchema },
  responses: { 200: myInvitePageSchema },
});

export const acceptMyInviteRoute = defineRoute({
  operationId: 'acceptMyInvite',
  method: 'post',
  path: '/me/invites/{inviteId}/accept',
  tag: 'Me',
  summary: 'Accept an invite addressed to the caller',
  description:
    "Creates the membership; it becomes active if the caller had none. 409 when the invite is no longer pending or has expired; 403 when the caller's account came through (or was linked to) another tenant's SSO, which may belong to that tenant alone.",
  access: { kind: 'signedIn' },
  input: { path: z.object({ inviteId: pathId }) },
  responses: { 201: membershipSchema },
  errors: [403],
});

export const storageIdentitySchema = z
  .object({
    identityId: z
      .string()
      .meta({ description: "The caller's Cognito identity id (Identity Pool): the `{identityId}` of their inbox prefix." }),
  })
  .meta({ id: 'StorageIdentity', examples: [{ identityId: 'eu-west-1:1f0e2d3c-4b5a-4978-8695-a4b3c2d1e0f9' }] });

export const registerStorageIdentityRoute = defineRoute({
  operationId: 'registerStorageIdentity',
  method: 'put',
  path: '/me/storage-identity',
  tag: 'Me',
  summary: "Register the caller's Identity Pool identity for direct S3 uploads",
  description:
    "Send the caller's own ID token (the access token still authorizes the call). The identity id is what the Identity Pool's GetId answers for that token; uploads into `tenants/{tenantId}/inbox/{identityId}/` are then registered as the caller's files. 403 when the ID token is not a valid, current ID token of the caller. Idempotent.",
  access: { kind: 'signedIn' },
  input: {
    body: z.strictObject({
      // A JWT's three base64url parts; Cognito's ID tokens are a few KB (the same bound as a refresh token's).
      idToken: z
        .string()
        .max(8192)
        .regex(/^[\w-]+\.[\w-]+\.[\w-]*$/, 'Expected a JWT: three base64url parts separated by dots.'),
    }),
  },
  responses: { 200: storageIdentitySchema },
  errors: [403],
});
