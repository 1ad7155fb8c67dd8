import * as z from 'zod';

/**
 * zod schemas for the user pool's API calls as CloudTrail reports them to
 * EventBridge ("AWS API Call via CloudTrail" on the default bus). Like the
 * trigger event schemas, they check what the code relies on and let the rest
 * of the event through.
 */

/** The most of a client's User-Agent an audit event keeps (as the HTTP layer does). */
const USER_AGENT_MAX = 256;

const apiCallDetail = {
  eventSource: z.literal('cognito-idp.amazonaws.com'),
  eventID: z.string().min(1),
  eventTime: z.iso.datetime({ offset: true }),
  // Cognito reports a call that succeeded with an empty errorCode; a failed one with its error's name.
  errorCode: z.string().nullish(),
  sourceIPAddress: z.string().min(1).nullish(),
  userAgent: z
    .string()
    .nullish()
    .transform((agent) => agent?.slice(0, USER_AGENT_MAX) || undefined),
  // Who called: Cognito names the user by `sub` (a failed call may name nobody) and, in some events, the pool.
  additionalEventData: z.looseObject({ sub: z.string().min(1).optional(), userPoolId: z.string().min(1).optional() }).nullish(),
};

/** A user's own `GlobalSignOut` (Amplify's `signOut({ global: true })`): Cognito ended every refresh token of theirs. */
export const globalSignOutEventSchema = z.looseObject({
  source: z.literal('aws.cognito-idp'),
  'detail-type': z.literal('AWS API Call via CloudTrail'),
  detail: z.looseObject({ ...apiCallDetail, eventName: z.literal('GlobalSignOut') }),
});
export type GlobalSignOutEvent = z.infer<typeof globalSignOutEventSchema>;
