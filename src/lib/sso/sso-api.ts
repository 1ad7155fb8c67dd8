import * as z from 'zod';
import { defineRoute } from '../http/api-route';
import { tenantPath } from '../http/schemas';
import { emailSchema } from '../invites/invite';
import { ssoConfigSchema, ssoInputSchema } from './sso-config';

export const putSsoRoute = defineRoute({
  operationId: 'putSso',
  method: 'put',
  path: '/tenants/{tenantId}/sso',
  tag: 'SSO',
  summary: "Configure the tenant's SSO (its own OIDC or SAML identity provider)",
  description:
    "owner only. Creates or updates the tenant's Cognito identity provider and adds it to the app client's providers; 201 when created, 200 when updated. The issuer's discovery document or the SAML metadata must load (3 s, 256 KB, https and public addresses only) and be well formed, else 400 saying which check failed. `defaultRole` is viewer, member or admin: SSO never mints owners. The answer never holds the client secret. A 503 leaves nothing half-done: retry the same PUT.",
  access: { kind: 'tenant', action: 'sso.manage' },
  input: { path: tenantPath, body: ssoInputSchema },
  responses: { 200: ssoConfigSchema, 201: ssoConfigSchema },
});

export const getSsoRoute = defineRoute({
  operationId: 'getSso',
  method: 'get',
  path: '/tenants/{tenantId}/sso',
  tag: 'SSO',
  summary: "The tenant's SSO configuration",
  description: 'owner only; never the client secret. 404 when none is configured.',
  access: { kind: 'tenant', action: 'sso.manage' },
  input: { path: tenantPath },
  responses: { 200: ssoConfigSchema },
  errors: [404],
});

export const deleteSsoRoute = defineRoute({
  operationId: 'deleteSso',
  method: 'delete',
  path: '/tenants/{tenantId}/sso',
  tag: 'SSO',
  summary: "Remove the tenant's SSO",
  description:
    'owner only. Removes the provider from the app client and from Cognito, then the configuration. 404 when none is configured; after a 503, retry: the DELETE finishes what it began.',
  access: { kind: 'tenant', action: 'sso.manage' },
  input: { path: tenantPath },
  responses: { 204: null },
  errors: [404],
});

export const discoverySchema = z
  .union([
    z.object({
      sso: z.literal(true),
      authorizeUrl: z
        .url()
        .meta({ description: 'The hosted login, straight to the provider; add `state` and PKCE (`code_challenge`, S256).' }),
    }),
    z.object({ sso: z.literal(false) }),
  ])
  .meta({
    id: 'SsoDiscovery',
    examples: [
      {
        sso: true,
        authorizeUrl:
          'https://tenantgate-prod-1a2b3c4d.auth.eu-west-1.amazoncognito.com/oauth2/authorize?identity_provider=t-abcdefghijklmnopqrstuvwxyz&client_id=example&response_type=code&scope=openid+email+profile&redirect_uri=https%3A%2F%2Fapp.example.com%2Fauth%2Fcallback',
      },
      { sso: false },
    ],
  });

export const discoverSsoRoute = defineRoute({
  operationId: 'discoverSso',
  method: 'post',
  path: '/sso/discover',
  tag: 'SSO',
  summary: 'Where an email signs in: its company SSO, or the password',
  description:
    "Public. `sso: true` with the hosted login's authorize URL for the tenant's provider when a tenant verified the email's domain and configured SSO; else `sso: false`, with the same shape and the same work for any other domain, so it does not tell which domains are customers. The client adds `state` and PKCE to the URL. 429 (with Retry-After) past 30 requests a minute from one address.",
  access: { kind: 'public' },
  input: { body: z.strictObject({ email: emailSchema }) },
  responses: { 200: discoverySchema },
  errors: [429, 503],
});
