/** The identities the unit environment is configured with (see test/unit/setup-env.ts). */
export const TEST_REGION = 'eu-west-1';
export const TEST_USER_POOL_ID = 'eu-west-1_TestPool1';
export const TEST_CLIENT_IDS = ['webclient1', 'mobileclient2'];
export const TEST_ALLOWED_ORIGIN = 'https://app.tenantgate.test';
export const TEST_TABLE_NAME = 'tenantgate-unit';
