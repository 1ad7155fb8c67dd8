import { appendAuditEvent } from '../../lib/audit/audit-store';
import { cognitoTrigger } from '../../lib/cognito/trigger';
import { type PostAuthenticationEvent, postAuthenticationEventSchema } from '../../lib/cognito/trigger-events';
import { activeMembership } from '../../lib/users/user-record';
import { getUserRecord } from '../../lib/users/user-store';

/**
 * Audits every sign-in. The SDK retries the write; if it still fails the
 * trigger fails and so does the sign-in: no login goes unaudited.
 */
export const postAuthentication = async (event: PostAuthenticationEvent): Promise<PostAuthenticationEvent> => {
  const { sub } = event.request.userAttributes;
  const tenantId = activeMembership(await getUserRecord(sub))?.tenantId;
  await appendAuditEvent(tenantId, {
    type: 'auth.login',
    actorId: sub,
    targetId: sub,
    details: { clientId: event.callerContext.clientId ?? null, newDevice: event.request.newDeviceUsed ?? false },
  });
  return event;
};

export const handler = cognitoTrigger(postAuthenticationEventSchema, postAuthentication);
