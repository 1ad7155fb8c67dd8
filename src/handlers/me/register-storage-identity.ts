import { ok } from '../../lib/http/response';
import { apiRoute } from '../../lib/http/routes';
import { registerStorageIdentityRoute, storageIdentitySchema } from '../../lib/users/me-api';
import { registerStorageIdentity } from '../../lib/users/storage-identity';

export const handler = apiRoute(registerStorageIdentityRoute, async ({ caller, body }) =>
  ok(storageIdentitySchema, await registerStorageIdentity(caller, body.idToken)),
);
