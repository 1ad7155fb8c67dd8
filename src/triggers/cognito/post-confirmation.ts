import { cognitoTrigger } from '../../lib/cognito/trigger';
import { type PostConfirmationEvent, postConfirmationEventSchema } from '../../lib/cognito/trigger-events';
import { acceptInviteOnSignUp } from '../../lib/invites/accept-on-sign-up';
import { normalizeEmail } from '../../lib/invites/invite';
import { logger } from '../../lib/logger';

/** Accepts the invite of a newly confirmed user; a password reset confirms nothing new. */
export const postConfirmation = async (event: PostConfirmationEvent): Promise<PostConfirmationEvent> => {
  if (event.triggerSource !== 'PostConfirmation_ConfirmSignUp') return event;
  const { sub, email } = event.request.userAttributes;
  const result = await acceptInviteOnSignUp({ userId: sub, email: normalizeEmail(email) });
  logger.info('Sign-up confirmed', { userId: sub, tenantId: result.tenantId, replayed: result.replayed });
  return event;
};

export const handler = cognitoTrigger(postConfirmationEventSchema, postConfirmation);
