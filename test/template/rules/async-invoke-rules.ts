import { asList, type CfnTemplate, isRecord, isTrue, referencedLogicalId, resourcesOfType, type Violation } from '../cfn-template';

/**
 * A function that S3 or an EventBridge rule invokes runs asynchronously: no
 * caller sees it fail. After Lambda's retries its event would be dropped: the
 * file it was about left pending for good, the sign-out it reported never
 * honoured. So every such function hands its failed events to an on-failure
 * destination; a destination queue is encrypted (the events name tenants'
 * objects, users and their addresses) and has an alarm on its messages, or
 * the failures pile up where nobody looks.
 */

/** SQS metrics that rise when a message arrives and stays. */
const QUEUE_BACKLOG_METRICS = new Set(['ApproximateNumberOfMessagesVisible', 'ApproximateAgeOfOldestMessage']);

export function checkAsyncInvokeRules(template: CfnTemplate): Violation[] {
  const violations: Violation[] = [];
  const destinations = onFailureDestinations(template);
  for (const [functionId, invoker] of asyncInvokedFunctions(template)) {
    if (!destinations.has(functionId)) {
      violations.push({
        rule: 'lambda.async-on-failure',
        resource: functionId,
        path: 'AWS::Lambda::EventInvokeConfig',
        message: `${invoker} invokes it asynchronously, but no EventInvokeConfig gives it an OnFailure destination`,
      });
    }
  }
  const alarmed = alarmedQueues(template);
  for (const [queueId, queue] of resourcesOfType(template, 'AWS::SQS::Queue')) {
    if (!isTrue(queue.SqsManagedSseEnabled) && queue.KmsMasterKeyId === undefined) {
      violations.push({
        rule: 'sqs.encryption',
        resource: queueId,
        path: 'Properties.SqsManagedSseEnabled',
        message: 'neither SSE-SQS nor a KMS key encrypts its messages',
      });
    }
    const destinationOf = [...destinations].filter(([, destination]) => destination === queueId).map(([functionId]) => functionId);
    if (destinationOf.length > 0 && !alarmed.has(queueId)) {
      violations.push({
        rule: 'sqs.failure-alarm',
        resource: queueId,
        path: 'AWS::CloudWatch::Alarm',
        message: `the on-failure destination of ${destinationOf.join(', ')} has no alarm on its messages`,
      });
    }
  }
  return violations;
}

/** Function logical id → the logical id of its OnFailure destination (or the destination as written). */
function onFailureDestinations(template: CfnTemplate): Map<string, string> {
  const destinations = new Map<string, string>();
  for (const [, config] of resourcesOfType(template, 'AWS::Lambda::EventInvokeConfig')) {
    const functionId = referencedLogicalId(config.FunctionName);
    const onFailure = isRecord(config.DestinationConfig) ? config.DestinationConfig.OnFailure : undefined;
    const destination = isRecord(onFailure) ? onFailure.Destination : undefined;
    if (functionId === undefined || destination === undefined) continue;
    destinations.set(functionId, referencedLogicalId(destination) ?? JSON.stringify(destination));
  }
  return destinations;
}

/** Function logical id → what invokes it asynchronously: a bucket's event notifications, or an EventBridge rule. */
function asyncInvokedFunctions(template: CfnTemplate): Map<string, string> {
  const functions = new Map<string, string>();
  for (const [, bucket] of resourcesOfType(template, 'AWS::S3::Bucket')) {
    const notifications = isRecord(bucket.NotificationConfiguration) ? bucket.NotificationConfiguration : {};
    for (const config of asList(notifications.LambdaConfigurations)) {
      const functionId = isRecord(config) ? referencedLogicalId(config.Function) : undefined;
      if (functionId !== undefined) functions.set(functionId, 'S3');
    }
  }
  const lambdaFunctions = new Set(resourcesOfType(template, 'AWS::Lambda::Function').map(([functionId]) => functionId));
  for (const [ruleId, rule] of resourcesOfType(template, 'AWS::Events::Rule')) {
    for (const target of asList(rule.Targets)) {
      const functionId = isRecord(target) ? referencedLogicalId(target.Arn) : undefined;
      if (functionId !== undefined && lambdaFunctions.has(functionId)) functions.set(functionId, `EventBridge (${ruleId})`);
    }
  }
  return functions;
}

/** The queues an alarm watches for messages that arrive and stay. */
function alarmedQueues(template: CfnTemplate): Set<string> {
  const queues = new Set<string>();
  for (const [, alarm] of resourcesOfType(template, 'AWS::CloudWatch::Alarm')) {
    if (alarm.Namespace !== 'AWS/SQS' || !QUEUE_BACKLOG_METRICS.has(String(alarm.MetricName))) continue;
    for (const dimension of asList(alarm.Dimensions)) {
      if (!isRecord(dimension) || dimension.Name !== 'QueueName') continue;
      const queueId = referencedLogicalId(dimension.Value);
      if (queueId !== undefined) queues.add(queueId);
    }
  }
  return queues;
}
