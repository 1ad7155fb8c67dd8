import { tenantClaimsResponse } from '../../lib/auth/tenant-claims';
import { cognitoTrigger } from '../../lib/cognito/trigger';
import { type PreTokenGenerationV2Event, preTokenGenerationV2EventSchema } from '../../lib/cognito/trigger-events';
import { activeMembership } from '../../lib/users/user-record';
import { getUserRecord } from '../../lib/users/user-store';

/**
 * Puts `tenant_id` and `tenant_role` into the access and the ID token from the
 * user's active membership, read strongly consistent. A failed read fails the
 * trigger: a token never carries stale or guessed claims.
 */
export const preTokenGeneration = async (event: PreTokenGenerationV2Event): Promise<PreTokenGenerationV2Event> => {
  const record = await getUserRecord(event.request.userAttributes.sub);
  event.response = tenantClaimsResponse(activeMembership(record));
  return event;
};

export const handler = cognitoTrigger(preTokenGenerationV2EventSchema, preTokenGeneration);
