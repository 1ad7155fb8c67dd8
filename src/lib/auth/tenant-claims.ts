import type { PreTokenGenerationV2Response } from '../cognito/trigger-events';
import type { UserMembership } from '../users/user-record';

export const TENANT_ID_CLAIM = 'tenant_id';
export const TENANT_ROLE_CLAIM = 'tenant_role';

/**
 * The V2 pre-token-generation response for a user's active membership: the
 * same tenant claims in the access and the ID token, or, with no membership,
 * none at all (suppressed, so nothing stale or guessed can appear).
 */
export const tenantClaimsResponse = (membership: UserMembership | undefined): PreTokenGenerationV2Response => {
  const overrides = membership
    ? { claimsToAddOrOverride: { [TENANT_ID_CLAIM]: membership.tenantId, [TENANT_ROLE_CLAIM]: membership.role } }
    : { claimsToSuppress: [TENANT_ID_CLAIM, TENANT_ROLE_CLAIM] };
  return {
    claimsAndScopeOverrideDetails: {
      idTokenGeneration: overrides,
      accessTokenGeneration: overrides,
    },
  };
};
