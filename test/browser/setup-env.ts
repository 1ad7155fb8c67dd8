import { inject } from 'vitest';
import '../integration/setup-env';

// Invites the test makes in-process (as the operator CLI does) link to this stack's web app, as the API's do.
const { webUrl } = inject('stack');
if (!webUrl) throw new Error('The browser project needs a stack that serves the web app');
process.env.APP_URL = webUrl;
