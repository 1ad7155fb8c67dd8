import middy from '@middy/core';
import type { z } from 'zod';
import { logger } from './logger';

/**
 * The Middy chain of a function that AWS invokes with an event (a Cognito
 * trigger, an S3 notification, an EventBridge rule): validate the event with
 * its zod schema, then run the core with the parsed event. A malformed event
 * is logged by the paths of its issues (never its values, which may hold
 * personal data) and fails the invocation.
 */
export const validatedEventHandler = <S extends z.ZodType, R>(schema: S, name: string, core: (event: z.infer<S>) => Promise<R>) =>
  middy<unknown, R>()
    .use({
      before: (request) => {
        const parsed = schema.safeParse(request.event);
        if (!parsed.success) {
          logger.error(`Malformed ${name}`, { issues: parsed.error.issues.map((i) => i.path.join('.')) });
          throw new Error(`Malformed ${name}.`);
        }
        request.event = parsed.data;
      },
    })
    .handler((event) => core(event as z.infer<S>));
