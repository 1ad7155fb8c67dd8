import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import { logger } from './logger';

/** Who an invocation acts for, as its log lines name them. */
export type LogKeys = { userId?: string | undefined; tenantId?: string | undefined };

/**
 * Puts who the invocation acts for on every line it logs from here on; a key
 * given as undefined is taken off (an S3 batch moves from one tenant's file to
 * the next). `logContext` clears them all when the invocation ends.
 */
export const appendLogKeys = (keys: LogKeys): void => {
  const entries = Object.entries(keys);
  logger.removeKeys(entries.filter(([, value]) => value === undefined).map(([key]) => key));
  logger.appendKeys(Object.fromEntries(entries.filter(([, value]) => value !== undefined)));
};

/**
 * The first middleware of every Middy chain (HTTP routes, Cognito triggers,
 * S3 and EventBridge events). Powertools' injectLambdaContext puts the
 * function's name, ARN, memory, cold start and Lambda request id on every
 * line; then the invocation's `correlation_id` is set (Powertools' own key,
 * set directly: its JMESPath lookup would need a package for one property).
 * `resetKeys`: what an invocation appends (correlation id, userId, tenantId)
 * ends with it, answered or failed, so a warm container never logs one
 * caller's ids on the next caller's lines. `logEvent: false` whatever
 * POWERTOOLS_LOGGER_LOG_EVENT says: events carry tokens, passwords and codes.
 */
export const logContext = <TEvent, TResult, TContext extends Context>(
  correlationIdOf: (event: TEvent, context: TContext) => string,
): MiddlewareObj<TEvent, TResult, Error, TContext> => {
  const powertools = injectLambdaContext(logger, { resetKeys: true, logEvent: false });
  // Powertools types its middleware against its own Middy-like request; Middy's is the same object.
  // Its three functions are synchronous, so calling them keeps the order of this chain.
  type PowertoolsRequest = Parameters<NonNullable<typeof powertools.before>>[0];
  return {
    before: (request) => {
      powertools.before?.(request as unknown as PowertoolsRequest);
      logger.setCorrelationId(correlationIdOf(request.event, request.context));
    },
    after: (request) => {
      powertools.after?.(request as unknown as PowertoolsRequest);
    },
    onError: (request) => {
      powertools.onError?.(request as unknown as PowertoolsRequest);
    },
  };
};
