import type { z } from 'zod';
import { validatedEventHandler } from '../validated-event';

/** What every Cognito trigger event has: the user's attributes (a new sign-up's have no `sub` yet). */
type CognitoTriggerEvent = { request: { userAttributes: { sub?: string | undefined } } };

/**
 * The Middy chain of a Cognito trigger: validate the event with its zod
 * schema, then run the core. Any error fails the trigger, which makes Cognito
 * fail the user's operation: triggers fail closed. Cognito's event has no
 * request id, so a trigger's correlation id is its Lambda request id; its
 * lines name the user by `sub` (never the email) and, once a trigger has read
 * it, the tenant.
 */
export const cognitoTrigger = <S extends z.ZodType<CognitoTriggerEvent>>(schema: S, core: (event: z.infer<S>) => Promise<z.infer<S>>) =>
  validatedEventHandler(schema, 'trigger event', core, (event) => ({ userId: event.request.userAttributes.sub }));
