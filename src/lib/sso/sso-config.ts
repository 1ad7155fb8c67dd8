import * as z from 'zod';
import { timestamp } from '../http/schemas';

/**
 * A tenant's SSO configuration: what an owner sends (`PUT /tenants/{id}/sso`)
 * and what the API shows. The client secret goes to Cognito only: it is never
 * stored, answered or logged.
 */

/** SSO never mints owners: an owner is invited, so a compromised identity provider cannot take a tenant over. */
export const SSO_ROLES = ['viewer', 'member', 'admin'] as const;
export const ssoRoleSchema = z
  .enum(SSO_ROLES)
  .meta({ description: 'The role a member who joins through SSO gets. Never `owner`: SSO never mints owners.' });

/** An http(s) URL without query or fragment (OIDC Discovery §4 builds the document's URL by appending to it). */
export const issuerSchema = z
  .url({ protocol: /^https?$/, message: 'must be an https URL' })
  .max(2048)
  .refine((u) => !/[?#]/.test(u), 'must have no query or fragment')
  .meta({ description: 'The OpenID Connect issuer; its `/.well-known/openid-configuration` must load. https only on AWS.' });

/** What fits the API's 16-KiB request body; larger metadata is given by `metadataUrl`. */
export const MAX_METADATA_XML_CHARS = 15 * 1024;

const common = {
  defaultRole: ssoRoleSchema,
  enforce: z.boolean().meta({
    description: "true: password sign-in and sign-up for the tenant's verified domains are refused, and discovery routes them to SSO.",
  }),
};

export const oidcInputSchema = z.strictObject({
  type: z.literal('oidc'),
  issuer: issuerSchema,
  clientId: z.string().min(1).max(255),
  clientSecret: z.string().min(1).max(2048).meta({ description: 'Sent to Cognito only; never stored or answered.' }),
  ...common,
});

export const samlInputSchema = z
  .strictObject({
    type: z.literal('saml'),
    metadataUrl: z
      .url({ protocol: /^https?$/, message: 'must be an https URL' })
      .max(2048)
      .optional(),
    metadataXml: z.string().min(1).max(MAX_METADATA_XML_CHARS).optional(),
    ...common,
  })
  .refine((s) => (s.metadataUrl === undefined) !== (s.metadataXml === undefined), {
    message: 'give exactly one of metadataUrl and metadataXml',
    path: ['metadataUrl'],
  });

export const ssoInputSchema = z.discriminatedUnion('type', [oidcInputSchema, samlInputSchema]).meta({
  id: 'SsoInput',
  description:
    "OIDC: the issuer's discovery document must load and be well formed. SAML: the metadata (by URL, or inline) must hold an IdP SSO service and a signing certificate; SAML asserts no email_verified, so for SAML the tenant's verified domain is what vouches for the email.",
});

export type SsoInput = z.infer<typeof ssoInputSchema>;
export type OidcInput = z.infer<typeof oidcInputSchema>;
export type SamlInput = z.infer<typeof samlInputSchema>;

const storedCommon = {
  providerName: z.string().meta({ description: "The tenant's Cognito identity provider (the authorize URL's `identity_provider`)." }),
  defaultRole: ssoRoleSchema,
  enforce: z.boolean(),
  createdAt: timestamp,
  updatedAt: timestamp,
};

export const ssoConfigSchema = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('oidc'), issuer: z.string(), clientId: z.string(), ...storedCommon }),
    z.object({
      type: z.literal('saml'),
      metadataUrl: z.string().optional().meta({ description: 'Absent when the metadata was given inline.' }),
      ...storedCommon,
    }),
  ])
  .meta({
    id: 'SsoConfig',
    description: "The tenant's SSO configuration; never the client secret.",
    examples: [
      {
        type: 'oidc',
        issuer: 'https://idp.acme.test',
        clientId: 'tenantgate',
        providerName: 't-abcdefghijklmnopqrstuvwxyz',
        defaultRole: 'member',
        enforce: false,
        createdAt: '2026-03-01T09:30:00.000Z',
        updatedAt: '2026-03-01T09:30:00.000Z',
      },
    ],
  });

export type SsoConfig = z.infer<typeof ssoConfigSchema>;
