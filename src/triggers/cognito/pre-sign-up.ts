import { cognitoTrigger } from '../../lib/cognito/trigger';
import { type PreSignUpEvent, preSignUpEventSchema } from '../../lib/cognito/trigger-events';
import { normalizeEmail } from '../../lib/invites/invite';
import { findPendingInvites } from '../../lib/invites/invite-store';

/** Cognito shows this text to the person signing up. */
export const NOT_INVITED_MESSAGE = 'Sign-up is by invitation only: there is no pending, unexpired invitation for this email address.';

/** Invite-only sign-up, for every trigger source (SignUp, AdminCreateUser, ExternalProvider). */
export const preSignUp = async (event: PreSignUpEvent): Promise<PreSignUpEvent> => {
  const email = event.request.userAttributes.email;
  if (!email) throw new Error(NOT_INVITED_MESSAGE);
  const invites = await findPendingInvites(normalizeEmail(email), new Date());
  if (invites.length === 0) throw new Error(NOT_INVITED_MESSAGE);
  // The email is still verified by code: an invite proves who was invited, not who signs up.
  return event;
};

export const handler = cognitoTrigger(preSignUpEventSchema, preSignUp);
