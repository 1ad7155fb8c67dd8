import { authConfig } from '../auth/auth-config';
import type { Caller } from '../auth/caller';
import { createIdTokenVerifier, type IdTokenVerifier, loginsProviderName } from '../auth/id-token';
import { ForbiddenError } from '../errors';
import { identityIdOf } from './identity-pool';
import { saveStorageIdentity } from './storage-identity-store';

/**
 * Registers the caller's Cognito identity id (Identity Pool), so the inbox
 * ingest can tell whose upload `tenants/{t}/inbox/{identityId}/…` is. The
 * ID token must be the caller's own, and the identity id is what GetId
 * answers for it, never what a client says. Idempotent.
 */
export const storageIdentityRegistrar =
  (idTokens: IdTokenVerifier, providerName: string) =>
  async (caller: Caller, idToken: string, now: Date = new Date()): Promise<{ identityId: string }> => {
    const { sub } = await idTokens.verify(idToken);
    if (sub !== caller.userId) throw new ForbiddenError('The ID token belongs to another user.');
    const identityId = await identityIdOf(idToken, providerName);
    await saveStorageIdentity(caller.userId, identityId, now);
    return { identityId };
  };

/** Created once per container: the key set is fetched once and cached. */
export const registerStorageIdentity = storageIdentityRegistrar(createIdTokenVerifier(authConfig), loginsProviderName(authConfig));
