import type { z } from 'zod';
import { validatedEventHandler } from '../validated-event';

/**
 * The Middy chain of a Cognito trigger: validate the event with its zod
 * schema, then run the core. Any error fails the trigger, which makes Cognito
 * fail the user's operation: triggers fail closed.
 */
export const cognitoTrigger = <S extends z.ZodType>(schema: S, core: (event: z.infer<S>) => Promise<z.infer<S>>) =>
  validatedEventHandler(schema, 'trigger event', core);
