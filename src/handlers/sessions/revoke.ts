import * as z from 'zod';
import { noContent } from '../../lib/http/response';
import { signedInRoute } from '../../lib/http/routes';
import { revokeSession } from '../../lib/sessions/revoke-session';

export const bodySchema = z.strictObject({
  refreshToken: z.string().min(1).max(8192).optional(),
  scope: z.enum(['session', 'all']).default('session'),
});

export const handler = signedInRoute({ body: bodySchema }, async ({ caller, body }) => {
  await revokeSession(caller, body);
  return noContent();
});
