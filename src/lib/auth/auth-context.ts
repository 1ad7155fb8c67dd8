import { UnauthorizedError } from '../errors';
import type { Principal } from './access-token';
import type { Role } from './roles';
import { PLATFORM_ADMIN_GROUP } from './roles';
import type { SessionState } from './session-state';

export type AuthContext = {
  userId: string;
  sessionId: string;
  clientId: string;
  isPlatformAdmin: boolean;
  /** The verified tenant and the caller's role in it now; undefined with no (current) membership. */
  tenant: { tenantId: string; role: Role } | undefined;
};

/** Whether a token of this state is refused: its session ended, or it was issued at or before a sign-out everywhere. */
export const isEnded = (state: SessionState, issuedAt: number): boolean =>
  state.revoked || (state.notBefore !== undefined && issuedAt <= state.notBefore);

type ReadSessionState = (userId: string, sessionId: string, tenantId: string | undefined) => Promise<SessionState>;

/**
 * Turns a verified principal into the request's auth context. The session and
 * membership state is cached per (user, session, tenant) for at most
 * `cacheMillis` (≤ 5 s), so a revoked session, a removed member or a lowered
 * role takes effect within that time, at the cost of at most one DynamoDB
 * round trip per request and none while the entry is fresh.
 */
export const createAuthContextResolver = (
  readSessionState: ReadSessionState,
  options: { cacheMillis: number; now?: () => number; maxEntries?: number },
) => {
  const now = options.now ?? Date.now;
  const maxEntries = options.maxEntries ?? 5000;
  const cache = new Map<string, { state: SessionState; freshUntil: number }>();

  const stateFor = async (p: Principal): Promise<SessionState> => {
    const tenantId = p.claimedTenant?.tenantId;
    const key = `${p.userId}|${p.sessionId}|${tenantId ?? ''}`;
    const hit = cache.get(key);
    if (hit && hit.freshUntil > now()) return hit.state;
    const state = await readSessionState(p.userId, p.sessionId, tenantId);
    if (cache.size >= maxEntries) cache.clear();
    cache.set(key, { state, freshUntil: now() + options.cacheMillis });
    return state;
  };

  return {
    resolve: async (p: Principal): Promise<AuthContext> => {
      const state = await stateFor(p);
      if (isEnded(state, p.issuedAt)) throw new UnauthorizedError('session ended');
      const tenantId = p.claimedTenant?.tenantId;
      return {
        userId: p.userId,
        sessionId: p.sessionId,
        clientId: p.clientId,
        isPlatformAdmin: p.groups.includes(PLATFORM_ADMIN_GROUP),
        tenant: tenantId && state.currentRole ? { tenantId, role: state.currentRole } : undefined,
      };
    },
    /**
     * Drops a user's cached state in this container only. Other functions keep
     * theirs until it ages out (≤ cacheMillis), which is the real guarantee; the
     * benchmark uses this to measure a cold auth context route by route.
     */
    forget: (userId: string) => {
      for (const key of cache.keys()) if (key.startsWith(`${userId}|`)) cache.delete(key);
    },
  };
};
