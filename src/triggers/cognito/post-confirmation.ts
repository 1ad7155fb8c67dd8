import { cognitoTrigger } from '../../lib/cognito/trigger';
import { type PostConfirmationEvent, postConfirmationEventSchema } from '../../lib/cognito/trigger-events';
import { acceptInviteOnSignUp } from '../../lib/invites/accept-on-sign-up';
import { normalizeEmail } from '../../lib/invites/invite';
import { appendLogKeys } from '../../lib/log-context';
import { logger } from '../../lib/logger';
import { endAllSessions } from '../../lib/sessions/end-all-sessions';
import { joinThroughSso } from '../../lib/sso/federated-sign-up';
import { tenantIdentityOf } from '../../lib/sso/federation-policy';
import { findActiveMembership } from '../../lib/users/active-membership';

/**
 * A confirmed sign-up accepts its invite; the first sign-in through a
 * tenant's own identity provider joins that tenant (just in time, with its
 * default role). A password reset
 * (`PostConfirmation_ConfirmForgotPassword`) ends every session of the user:
 * whoever knew the old password keeps no token and no refresh token.
 */
export const postConfirmation = async (event: PostConfirmationEvent): Promise<PostConfirmationEvent> => {
  const { sub, email } = event.request.userAttributes;
  if (event.triggerSource === 'PostConfirmation_ConfirmForgotPassword') {
    const membership = await findActiveMembership(sub);
    appendLogKeys({ tenantId: membership?.tenantId });
    await endAllSessions({
      userId: sub,
      userPoolId: event.userPoolId,
      actor: { actorId: sub },
      auditTenantId: membership?.tenantId,
      reason: 'password-reset',
    });
    logger.info('Password reset: every session ended');
    return event;
  }
  const tenantIdentity = tenantIdentityOf(event.userName);
  const result = tenantIdentity
    ? await joinThroughSso({ userId: sub, email, emailVerified: event.request.userAttributes.email_verified, identity: tenantIdentity })
    : await acceptInviteOnSignUp({ userId: sub, email: normalizeEmail(email) });
  appendLogKeys({ tenantId: result.tenantId });
  logger.info('Sign-up confirmed', { replayed: result.replayed });
  return event;
};

export const handler = cognitoTrigger(postConfirmationEventSchema, postConfirmation);
