import { appendAuditEventOnce } from '../../lib/audit/audit-store';
import { SIGN_IN_DEDUPE_SECONDS, signInHash } from '../../lib/cognito/sign-in-key';
import { cognitoTrigger } from '../../lib/cognito/trigger';
import { type PostAuthenticationEvent, postAuthenticationEventSchema } from '../../lib/cognito/trigger-events';
import { loginMarkerKey } from '../../lib/db/keys';
import { appendLogKeys } from '../../lib/log-context';
import { logger } from '../../lib/logger';
import { findActiveMembership } from '../../lib/users/active-membership';

/**
 * Audits every sign-in once, though Cognito calls again with the same event
 * when a call takes over 5 s (see sign-in-key.ts). The SDK retries the write;
 * if it still fails the trigger fails and so does the sign-in: no login goes
 * unaudited.
 */
export const postAuthentication = async (event: PostAuthenticationEvent): Promise<PostAuthenticationEvent> => {
  const { sub } = event.request.userAttributes;
  const tenantId = (await findActiveMembership(sub))?.tenantId;
  appendLogKeys({ tenantId });
  const { written } = await appendAuditEventOnce(
    tenantId,
    {
      type: 'auth.login',
      actorId: sub,
      targetId: sub,
      details: { clientId: event.callerContext.clientId ?? null, newDevice: event.request.newDeviceUsed ?? false },
    },
    { marker: loginMarkerKey(sub, signInHash(event)), windowSeconds: SIGN_IN_DEDUPE_SECONDS },
  );
  if (!written) logger.info('Sign-in already audited: a retried delivery');
  return event;
};

export const handler = cognitoTrigger(postAuthenticationEventSchema, postAuthentication);
