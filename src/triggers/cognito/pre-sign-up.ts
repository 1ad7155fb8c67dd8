import { cognitoTrigger } from '../../lib/cognito/trigger';
import { type PreSignUpEvent, preSignUpEventSchema } from '../../lib/cognito/trigger-events';
import { inviteCodeMatches, normalizeEmail } from '../../lib/invites/invite';
import { findPendingInvites } from '../../lib/invites/invite-store';

/** Cognito shows this text to the person signing up: the same whatever was wrong, so it tells an attacker nothing. */
export const NOT_INVITED_MESSAGE =
  'Sign-up is by invitation only: use the sign-up link of a pending, unexpired invitation for this email address.';

/** The name of the ValidationData entry that carries the invite's code on a self-service sign-up. */
export const INVITE_CODE_FIELD = 'invite_code';

/**
 * Invite-only sign-up, for every trigger source: a pending, unexpired invite
 * for the email must exist. A self-service `SignUp` must also present that
 * invite's secret code (from the invite email's link) as ValidationData
 * `invite_code`, so knowing an invited address is not enough to claim it
 * before its owner does. AdminCreateUser (an operator) and ExternalProvider
 * (federation) keep the plain rule; the email is still verified either way.
 */
export const preSignUp = async (event: PreSignUpEvent): Promise<PreSignUpEvent> => {
  const email = event.request.userAttributes.email;
  if (!email) throw new Error(NOT_INVITED_MESSAGE);
  const invites = await findPendingInvites(normalizeEmail(email), new Date());
  if (event.triggerSource === 'PreSignUp_SignUp') {
    const code = event.request.validationData?.[INVITE_CODE_FIELD];
    if (!invites.some((invite) => inviteCodeMatches(code, invite.codeHash))) throw new Error(NOT_INVITED_MESSAGE);
  } else if (invites.length === 0) {
    throw new Error(NOT_INVITED_MESSAGE);
  }
  return event;
};

export const handler = cognitoTrigger(preSignUpEventSchema, preSignUp);
