import { cognitoTrigger } from '../../lib/cognito/trigger';
import { type PreSignUpEvent, preSignUpEventSchema } from '../../lib/cognito/trigger-events';
import { inviteCodeMatches, normalizeEmail } from '../../lib/invites/invite';
import { findPendingInvites } from '../../lib/invites/invite-store';
import { admitFederatedSignUp } from '../../lib/sso/federated-sign-up';
import { findEnforcingSso } from '../../lib/sso/federation-lookup';
import { SSO_REQUIRED_MESSAGE, tenantIdentityOf } from '../../lib/sso/federation-policy';

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
 * (a pool-level provider such as Google) keep the plain rule; the email is
 * still verified either way.
 *
 * Two exceptions: a tenant's own identity provider (SSO) admits by the
 * tenant's verified domains instead of invites (federated-sign-up.ts); and
 * where a tenant enforces SSO for the email's domain, sign-up other than
 * through that provider is refused.
 */
export const preSignUp = async (event: PreSignUpEvent): Promise<PreSignUpEvent> => {
  const { email, email_verified: emailVerified } = event.request.userAttributes;
  const tenantIdentity = event.triggerSource === 'PreSignUp_ExternalProvider' ? tenantIdentityOf(event.userName) : undefined;
  if (tenantIdentity) {
    await admitFederatedSignUp({ userPoolId: event.userPoolId, identity: tenantIdentity, email, emailVerified });
    return event;
  }
  if (!email) throw new Error(NOT_INVITED_MESSAGE);
  if (event.triggerSource !== 'PreSignUp_AdminCreateUser' && (await findEnforcingSso(normalizeEmail(email)))) {
    throw new Error(SSO_REQUIRED_MESSAGE);
  }
  // A provider that says the address is unverified (Google, Apple, OIDC) cannot claim an invite sent to it.
  if (event.triggerSource === 'PreSignUp_ExternalProvider' && emailVerified === 'false') throw new Error(NOT_INVITED_MESSAGE);
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
