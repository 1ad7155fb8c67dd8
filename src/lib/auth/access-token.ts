import * as z from 'zod';
import { type Role, roleSchema } from './roles';
import { TENANT_ID_CLAIM, TENANT_ROLE_CLAIM } from './tenant-claims';

/**
 * The verified access token's claims that the API relies on. The signature,
 * issuer, client and expiry are checked by the verifier before this runs; a
 * token that verifies but lacks these claims (no session id, a malformed
 * tenant claim) is refused just the same.
 */
const claimsSchema = z.object({
  sub: z.string().min(1),
  client_id: z.string().min(1),
  token_use: z.literal('access'),
  origin_jti: z.string().min(1),
  jti: z.string().min(1),
  exp: z.number(),
  iat: z.number(),
  username: z.string().optional(),
  'cognito:groups': z.array(z.string()).optional(),
  [TENANT_ID_CLAIM]: z.string().min(1).max(64).optional(),
  [TENANT_ROLE_CLAIM]: roleSchema.optional(),
});

export type Principal = {
  userId: string;
  clientId: string;
  sessionId: string;
  tokenId: string;
  expiresAt: number;
  /** Epoch seconds: a user-wide revocation ends every token issued up to it. */
  issuedAt: number;
  groups: string[];
  /** From the token; the auth context checks it against DynamoDB on every request. */
  claimedTenant: { tenantId: string; role: Role } | undefined;
};

export const principalFromClaims = (payload: unknown): Principal | undefined => {
  const parsed = claimsSchema.safeParse(payload);
  if (!parsed.success) return undefined;
  const c = parsed.data;
  const tenantId = c[TENANT_ID_CLAIM];
  const role = c[TENANT_ROLE_CLAIM];
  // Both tenant claims or neither: half a tenant context is a forged or broken token.
  if ((tenantId === undefined) !== (role === undefined)) return undefined;
  return {
    userId: c.sub,
    clientId: c.client_id,
    sessionId: c.origin_jti,
    tokenId: c.jti,
    expiresAt: c.exp,
    issuedAt: c.iat,
    groups: c['cognito:groups'] ?? [],
    claimedTenant: tenantId && role ? { tenantId, role } : undefined,
  };
};
