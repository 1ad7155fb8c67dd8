import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { inject } from 'vitest';

// Point src/lib (read once at module load) at the test stack, before any test file imports it.
// Like the operator CLI aimed at the local stack, in-process use cases write their mail to its mailbox.
const stack = inject('stack');
process.env.IS_OFFLINE = 'true';
process.env.LOCAL_MAIL_DIR = path.join(inject('stateDir'), 'mail');
process.env.APP_URL = 'http://localhost:5173';
process.env.LOCAL_CURSOR_SECRET = randomBytes(32).toString('base64url');
process.env.STAGE = 'local';
process.env.TABLE_NAME = 'tenantgate-local';
process.env.AWS_REGION = stack.region;
process.env.DYNAMODB_ENDPOINT = stack.dynamodb.endpoint;
process.env.AWS_ACCESS_KEY_ID = 'S3RVER';
process.env.AWS_SECRET_ACCESS_KEY = 'S3RVER';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
