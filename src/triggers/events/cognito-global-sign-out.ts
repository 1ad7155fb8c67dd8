import { type GlobalSignOutEvent, globalSignOutEventSchema } from '../../lib/cognito/cloudtrail-events';
import { logger } from '../../lib/logger';
import { honourCognitoSignOut } from '../../lib/sessions/cognito-sign-out';
import { validatedEventHandler } from '../../lib/validated-event';

/**
 * A user's own GlobalSignOut at Cognito (CloudTrail → EventBridge on AWS; the
 * emulator on the local stack) ends every session of theirs at the API too.
 * A call that ended no session of ours is logged and left, not thrown, since
 * no retry would change it; a fault throws, and Lambda retries the event.
 */
export const cognitoGlobalSignOut = async (event: GlobalSignOutEvent): Promise<void> => {
  const { detail } = event;
  const outcome = await honourCognitoSignOut({
    eventId: detail.eventID,
    failed: Boolean(detail.errorCode),
    userId: detail.additionalEventData?.sub,
    userPoolId: detail.additionalEventData?.userPoolId,
    at: new Date(detail.eventTime),
    client: {
      ...(detail.sourceIPAddress ? { ip: detail.sourceIPAddress } : {}),
      ...(detail.userAgent ? { userAgent: detail.userAgent } : {}),
    },
  });
  const fields = { eventId: detail.eventID, userId: detail.additionalEventData?.sub, outcome };
  if (outcome === 'recorded' || outcome === 'already-recorded') logger.info('Cognito GlobalSignOut: every session ended', fields);
  else logger.info('Cognito GlobalSignOut event ignored', { ...fields, errorCode: detail.errorCode });
};

/** CloudTrail's event id is the correlation id: the same on every delivery of the event, and in CloudTrail itself. */
export const handler = validatedEventHandler(globalSignOutEventSchema, 'EventBridge event', cognitoGlobalSignOut, ({ detail }) => ({
  correlationId: detail.eventID,
  userId: detail.additionalEventData?.sub,
}));
