/**
 * The environment the modules under test read when they load (src/lib/config.ts,
 * src/lib/auth/auth-config.ts, src/lib/http/http-config.ts). Unit tests never
 * reach AWS: the credentials are dummies and DynamoDB is mocked per test file.
 */
import { ENV } from '../../src/lib/env-names';
import {
  TEST_ALLOWED_ORIGIN,
  TEST_CLIENT_IDS,
  TEST_IDENTITY_POOL_ID,
  TEST_REGION,
  TEST_TABLE_NAME,
  TEST_USER_POOL_ID,
} from './support/test-env';

Object.assign(process.env, {
  [ENV.stage]: 'test',
  [ENV.tableName]: TEST_TABLE_NAME,
  [ENV.userPoolId]: TEST_USER_POOL_ID,
  [ENV.appClientIds]: TEST_CLIENT_IDS.join(','),
  [ENV.authCacheSeconds]: '4',
  [ENV.auditRetentionDays]: '365',
  [ENV.inviteTtlDays]: '7',
  [ENV.corsAllowedOrigins]: TEST_ALLOWED_ORIGIN,
  [ENV.hostedLoginUrl]: 'https://tenantgate-test.auth.eu-west-1.amazoncognito.com',
  [ENV.oauthRedirectUri]: 'https://app.tenantgate.test/auth/callback',
  [ENV.cursorSecretArn]: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:unit-cursor',
  [ENV.identityPoolId]: TEST_IDENTITY_POOL_ID,
  AWS_REGION: TEST_REGION,
  AWS_ACCESS_KEY_ID: 'AKIAUNITTESTDUMMY000',
  AWS_SECRET_ACCESS_KEY: 'unit-test-dummy-secret',
  // Keeps the structured logger quiet; tests that care spy on it.
  POWERTOOLS_LOG_LEVEL: 'SILENT',
});

// Never inherit a local-stack or Lambda setting from the shell that runs the tests.
for (const name of [
  ENV.localTokenIssuer,
  ENV.dynamodbEndpoint,
  ENV.cognitoIdentityEndpoint,
  'IS_OFFLINE',
  'AWS_EXECUTION_ENV',
  'AWS_PROFILE',
  'AWS_SESSION_TOKEN',
]) {
  delete process.env[name];
}
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
