import middy from '@middy/core';
import type { z } from 'zod';
import { logger } from '../logger';

/**
 * The Middy chain of a Cognito trigger: validate the event with its zod
 * schema, then run the core. Any error fails the trigger, which makes Cognito
 * fail the user's operation: triggers fail closed.
 */
export const cognitoTrigger = <S extends z.ZodType>(schema: S, core: (event: z.infer<S>) => Promise<z.infer<S>>) =>
  middy<unknown, unknown>()
    .use({
      before: (request) => {
        const parsed = schema.safeParse(request.event);
        if (!parsed.success) {
          logger.error('Malformed trigger event', { issues: parsed.error.issues.map((i) => i.path.join('.')) });
          throw new Error('Malformed trigger event.');
        }
        request.event = parsed.data;
      },
    })
    .handler((event) => core(event as z.infer<S>));
