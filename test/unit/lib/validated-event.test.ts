import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { cognitoTrigger } from '../../../src/lib/cognito/trigger';
import { postConfirmationEventSchema } from '../../../src/lib/cognito/trigger-events';
import { appendLogKeys } from '../../../src/lib/log-context';
import { logger } from '../../../src/lib/logger';
import { validatedEventHandler } from '../../../src/lib/validated-event';
import { lambdaContext } from '../support/api-gateway';
import { captureLogLines } from '../support/logs';

/**
 * The log context of the functions AWS invokes with an event (Cognito
 * triggers, S3 notifications, EventBridge rules): the Lambda context and a
 * correlation id on every line, who the event acts for where it says, and
 * nothing carried over to the next invocation of a warm container.
 */
const eventSchema = z.looseObject({ id: z.string().optional(), user: z.string(), secret: z.string().optional() });
type TestEvent = z.infer<typeof eventSchema>;

const logsAndAnswers = async (event: TestEvent) => {
  logger.info('core ran');
  return event.user;
};

const withContext = (awsRequestId: string) => ({ ...lambdaContext(), awsRequestId });

let capture: ReturnType<typeof captureLogLines>;
beforeEach(() => {
  capture = captureLogLines();
});
afterEach(() => capture.stop());

describe('validatedEventHandler', () => {
  it("puts the Lambda context, the Lambda request id as correlation id and the event's user on every line", async () => {
    // Prepare
    const handler = validatedEventHandler(eventSchema, 'test event', logsAndAnswers, (event) => ({ userId: event.user }));

    // Act
    await handler({ user: 'user-1' }, withContext('lambda-req-1'));

    // Assess
    expect(capture.lines).toEqual([
      expect.objectContaining({
        message: 'core ran',
        correlation_id: 'lambda-req-1',
        function_request_id: 'lambda-req-1',
        function_name: lambdaContext().functionName,
        userId: 'user-1',
      }),
    ]);
  });

  it('takes the correlation id the event carries, one that outlives a retry', async () => {
    // Prepare
    const handler = validatedEventHandler(eventSchema, 'test event', logsAndAnswers, (event) => ({
      correlationId: event.id,
      userId: event.user,
    }));

    // Act
    await handler({ id: 'event-7', user: 'user-1' }, withContext('lambda-req-1'));

    // Assess
    expect(capture.lines).toEqual([expect.objectContaining({ correlation_id: 'event-7', function_request_id: 'lambda-req-1' })]);
  });

  it('logs a malformed event with the Lambda context, by the paths of its issues only', async () => {
    // Prepare
    const handler = validatedEventHandler(eventSchema, 'test event', logsAndAnswers);

    // Act
    const invoking = handler({ user: 42, secret: 'do-not-log-me' }, withContext('lambda-req-2'));

    // Assess
    await expect(invoking).rejects.toThrow('Malformed test event.');
    expect(capture.lines).toEqual([
      expect.objectContaining({
        message: 'Malformed test event',
        issues: ['user'],
        correlation_id: 'lambda-req-2',
        function_request_id: 'lambda-req-2',
      }),
    ]);
    expect(JSON.stringify(capture.lines)).not.toContain('do-not-log-me');
  });

  it.each([
    ['answered', logsAndAnswers],
    [
      'failed',
      async (event: TestEvent) => {
        appendLogKeys({ tenantId: 'tenant-of-the-first' });
        throw new Error(`no ${event.user}`);
      },
    ],
  ])('never logs an invocation’s keys on the next invocation’s lines, after one that %s', async (_case, core) => {
    // Prepare
    const first = validatedEventHandler(eventSchema, 'test event', core, (event) => ({ userId: event.user }));
    await first({ user: 'user-first' }, withContext('lambda-req-first')).catch(() => undefined);
    const next = validatedEventHandler(eventSchema, 'test event', logsAndAnswers);

    // Act
    await next({ user: 'user-next' }, withContext('lambda-req-next'));

    // Assess
    const lines = capture.lines.filter((line) => line.function_request_id === 'lambda-req-next');
    expect(lines).toEqual([expect.objectContaining({ message: 'core ran', correlation_id: 'lambda-req-next' })]);
    expect(lines[0]).not.toHaveProperty('userId');
    expect(lines[0]).not.toHaveProperty('tenantId');
  });
});

describe('appendLogKeys', () => {
  it('replaces a key, and takes off one given as undefined', async () => {
    // Prepare: an S3 batch of one tenant's file, then an object that is no tenant's
    const handler = validatedEventHandler(eventSchema, 'test event', async () => {
      appendLogKeys({ tenantId: 'tenant-a' });
      logger.info('first record');
      appendLogKeys({ tenantId: undefined });
      logger.info('second record');
    });

    // Act
    await handler({ user: 'u' }, lambdaContext());

    // Assess
    expect(capture.lines).toEqual([expect.objectContaining({ message: 'first record', tenantId: 'tenant-a' }), expect.anything()]);
    expect(capture.lines[1]).not.toHaveProperty('tenantId');
  });
});

describe('cognitoTrigger', () => {
  it('names the user by sub, never by email, with the Lambda request id as correlation id', async () => {
    // Prepare
    const handler = cognitoTrigger(postConfirmationEventSchema, async (event) => {
      logger.info('core ran');
      return event;
    });
    const event = {
      version: '1',
      region: 'eu-west-1',
      userPoolId: 'eu-west-1_Unit',
      userName: 'someone@example.test',
      callerContext: { clientId: 'webclient1' },
      triggerSource: 'PostConfirmation_ConfirmSignUp',
      request: { userAttributes: { sub: 'sub-1', email: 'someone@example.test' } },
      response: {},
    };

    // Act
    await handler(event, withContext('lambda-req-3'));

    // Assess
    expect(capture.lines).toEqual([expect.objectContaining({ message: 'core ran', userId: 'sub-1', correlation_id: 'lambda-req-3' })]);
    expect(JSON.stringify(capture.lines)).not.toContain('someone@example.test');
  });
});
