import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type { z } from 'zod';
import { appendLogKeys, type LogKeys, logContext } from './log-context';
import { logger } from './logger';

/**
 * What an event tells its log lines: who it acts for and, where the event has
 * one, a correlation id that outlives a retry (else the Lambda request id).
 */
export type EventLogKeys<E> = (event: E) => LogKeys & { correlationId?: string | undefined };

const lambdaRequestId = (_event: unknown, context: Context): string => context.awsRequestId;

/**
 * The Middy chain of a function that AWS invokes with an event (a Cognito
 * trigger, an S3 notification, an EventBridge rule): the log context, then
 * validate the event with its zod schema, then run the core with the parsed
 * event. A malformed event is logged by the paths of its issues (never its
 * values, which may hold personal data) and fails the invocation.
 */
export const validatedEventHandler = <S extends z.ZodType, R>(
  schema: S,
  name: string,
  core: (event: z.infer<S>) => Promise<R>,
  logKeysOf?: EventLogKeys<z.infer<S>>,
) =>
  middy<unknown, R>()
    .use(logContext(lambdaRequestId))
    .use({
      before: (request) => {
        const parsed = schema.safeParse(request.event);
        if (!parsed.success) {
          logger.error(`Malformed ${name}`, { issues: parsed.error.issues.map((i) => i.path.join('.')) });
          throw new Error(`Malformed ${name}.`);
        }
        request.event = parsed.data;
        if (!logKeysOf) return;
        const { correlationId, ...keys } = logKeysOf(parsed.data);
        if (correlationId) logger.setCorrelationId(correlationId);
        appendLogKeys(keys);
      },
    })
    .handler((event) => core(event as z.infer<S>));
