import { inject } from 'vitest';

// Point src/lib (read once at module load) at the test stack, before any test file imports it.
const stack = inject('stack');
process.env.STAGE = 'local';
process.env.TABLE_NAME = 'tenantgate-local';
process.env.AWS_REGION = stack.region;
process.env.DYNAMODB_ENDPOINT = stack.dynamodb.endpoint;
process.env.AWS_ACCESS_KEY_ID = 'S3RVER';
process.env.AWS_SECRET_ACCESS_KEY = 'S3RVER';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
