import { tenantClaimsResponse } from '../../lib/auth/tenant-claims';
import { cognitoTrigger } from '../../lib/cognito/trigger';
import { type PreTokenGenerationV2Event, preTokenGenerationV2EventSchema } from '../../lib/cognito/trigger-events';
import { appendLogKeys } from '../../lib/log-context';
import { findActiveMembership } from '../../lib/users/active-membership';

/**
 * Puts `tenant_id` and `tenant_role` into the access and the ID token from the
 * user's active membership, read strongly consistent, item by item (every
 * sign-in and refresh waits on it). A failed read fails the trigger: a token
 * never carries stale or guessed claims.
 */
export const preTokenGeneration = async (event: PreTokenGenerationV2Event): Promise<PreTokenGenerationV2Event> => {
  const membership = await findActiveMembership(event.request.userAttributes.sub);
  appendLogKeys({ tenantId: membership?.tenantId });
  event.response = tenantClaimsResponse(membership);
  return event;
};

export const handler = cognitoTrigger(preTokenGenerationV2EventSchema, preTokenGeneration);
