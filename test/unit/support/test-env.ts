/** The identities the unit environment is configured with (see test/unit/setup-env.ts). */
export const TEST_REGION = 'eu-west-1';
export const TEST_USER_POOL_ID = 'eu-west-1_TestPool1';
export const TEST_CLIENT_IDS = ['webclient1', 'mobileclient2'];
export const TEST_ALLOWED_ORIGIN = 'https://app.tenantgate.test';
export const TEST_TABLE_NAME = 'tenantgate-unit';
export const TEST_IDENTITY_POOL_ID = 'eu-west-1:0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f';
