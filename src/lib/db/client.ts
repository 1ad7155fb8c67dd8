import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { config } from '../config';

/**
 * How long one DynamoDB call may take, retries included. Cognito waits 5 s for
 * a trigger and then calls it again, so on AWS a call must end well inside
 * that: the SDK's standard retry gives 2 attempts × 2 s + at most 0.2 s of
 * backoff ≈ 4.2 s, inside the triggers' 5-s function timeout. DynamoDB answers
 * in milliseconds, so 2 s (1 s to connect) only cuts off a hung connection,
 * and a retry on a fresh one is what helps then. The HTTP functions share the
 * budget: they answer a throttled or unavailable store with 503 + Retry-After,
 * so the client retries, not a third attempt that eats the function's time.
 * `requestTimeout` is a deadline from send to response headers, but the SDK
 * only logs it unless `throwOnRequestTimeout` is set.
 *
 * The local emulator (a JVM that warms up on a shared machine under test load)
 * gets the longer budget the local functions get: its pauses are not outages.
 */
const timeBudget = config.dynamodbEndpoint
  ? { maxAttempts: 3, connectionTimeout: 5_000, requestTimeout: 20_000 }
  : { maxAttempts: 2, connectionTimeout: 1_000, requestTimeout: 2_000 };

/** One client per container: created at module load, reused by every invocation. */
export const dynamodb = new DynamoDBClient({
  region: config.region,
  ...(config.dynamodbEndpoint ? { endpoint: config.dynamodbEndpoint } : {}),
  maxAttempts: timeBudget.maxAttempts,
  requestHandler: {
    connectionTimeout: timeBudget.connectionTimeout,
    requestTimeout: timeBudget.requestTimeout,
    throwOnRequestTimeout: true,
  },
});

export const db = DynamoDBDocumentClient.from(dynamodb, {
  marshallOptions: { removeUndefinedValues: true },
});

export const tableName = config.tableName;
