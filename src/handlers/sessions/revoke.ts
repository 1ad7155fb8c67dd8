import * as z from 'zod';
import { noContent } from '../../lib/http/response';
import { signedInRoute } from '../../lib/http/routes';
import { revokeSession } from '../../lib/sessions/revoke-session';

export const bodySchema = z.strictObject({ refreshToken: z.string().min(1).max(8192).optional() });

export const handler = signedInRoute({ body: bodySchema }, async ({ auth, body, client }) => {
  await revokeSession(
    { userId: auth.userId, sessionId: auth.sessionId, clientId: auth.clientId, tenantId: auth.tenant?.tenantId },
    body.refreshToken,
    client,
  );
  return noContent();
});
