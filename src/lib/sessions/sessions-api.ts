import * as z from 'zod';
import { defineRoute } from '../http/api-route';

export const revokeSessionRoute = defineRoute({
  operationId: 'revokeSession',
  method: 'post',
  path: '/sessions/revoke',
  tag: 'Sessions',
  summary: "End the caller's session, or all of them",
  description:
    '`session` (default) ends this session: its access tokens are refused within 5 s, and with `refreshToken` Cognito revokes that token too. `all` ends every session of the caller, on every device, and signs them out of Cognito.',
  access: { kind: 'signedIn' },
  input: {
    body: z.strictObject({
      refreshToken: z.string().min(1).max(8192).optional(),
      scope: z.enum(['session', 'all']).default('session'),
    }),
  },
  responses: { 204: null },
});
