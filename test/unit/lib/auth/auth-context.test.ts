import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Principal } from '../../../../src/lib/auth/access-token';
import { createAuthContextResolver } from '../../../../src/lib/auth/auth-context';
import type { SessionState } from '../../../../src/lib/auth/session-state';
import { UnauthorizedError } from '../../../../src/lib/errors';

type ReadSessionState = Parameters<typeof createAuthContextResolver>[0];

const CACHE_MILLIS = 4000;

const principal = (overrides: Partial<Principal> = {}): Principal => ({
  userId: 'user-1',
  clientId: 'webclient1',
  sessionId: 'session-1',
  tokenId: 'jti-1',
  expiresAt: 1_900_000_000,
  issuedAt: 1_899_999_000,
  groups: [],
  claimedTenant: { tenantId: 'tenant-a', role: 'owner' },
  ...overrides,
});

describe('createAuthContextResolver', () => {
  let clock: number;
  let stored: SessionState;
  let readSessionState: ReturnType<typeof vi.fn<ReadSessionState>>;
  let resolver: ReturnType<typeof createAuthContextResolver>;

  beforeEach(() => {
    clock = 1_000_000;
    stored = { revoked: false, notBefore: undefined, currentRole: 'owner' };
    readSessionState = vi.fn<ReadSessionState>(async () => stored);
    resolver = createAuthContextResolver(readSessionState, { cacheMillis: CACHE_MILLIS, now: () => clock });
  });

  it("resolves a current member's tenant context from one read of the session and membership", async () => {
    // Act
    const auth = await resolver.resolve(principal());

    // Assess
    expect(auth).toEqual({
      userId: 'user-1',
      sessionId: 'session-1',
      clientId: 'webclient1',
      isPlatformAdmin: false,
      tenant: { tenantId: 'tenant-a', role: 'owner' },
    });
    expect(readSessionState).toHaveBeenCalledExactlyOnceWith('user-1', 'session-1', 'tenant-a');
  });

  it('refuses a revoked session with UnauthorizedError', async () => {
    // Prepare
    stored = { revoked: true, notBefore: undefined, currentRole: 'owner' };

    // Act
    const resolving = resolver.resolve(principal());

    // Assess
    await expect(resolving).rejects.toBeInstanceOf(UnauthorizedError);
  });

  it('drops the tenant when the membership is gone', async () => {
    // Prepare
    stored = { revoked: false, notBefore: undefined, currentRole: undefined };

    // Act
    const auth = await resolver.resolve(principal());

    // Assess
    expect(auth.tenant).toBeUndefined();
  });

  it('uses the stored role, not the claimed one: a lowered role wins', async () => {
    // Prepare
    stored = { revoked: false, notBefore: undefined, currentRole: 'viewer' };

    // Act
    const auth = await resolver.resolve(principal({ claimedTenant: { tenantId: 'tenant-a', role: 'owner' } }));

    // Assess
    expect(auth.tenant).toEqual({ tenantId: 'tenant-a', role: 'viewer' });
  });

  it('has no tenant without a tenant claim, and reads only the session', async () => {
    // Prepare
    stored = { revoked: false, notBefore: undefined, currentRole: undefined };

    // Act
    const auth = await resolver.resolve(principal({ claimedTenant: undefined }));

    // Assess
    expect(auth.tenant).toBeUndefined();
    expect(readSessionState).toHaveBeenCalledExactlyOnceWith('user-1', 'session-1', undefined);
  });

  it('marks members of the platform-admin group as platform admins', async () => {
    expect((await resolver.resolve(principal({ groups: ['support', 'platform-admin'] }))).isPlatformAdmin).toBe(true);
  });

  it.each([['platform-admins'], ['Platform-Admin'], ['admin'], []])('does not treat the groups %j as platform admin', async (...groups) => {
    expect((await resolver.resolve(principal({ groups }))).isPlatformAdmin).toBe(false);
  });

  describe('cache', () => {
    it('makes no second read while the entry is fresh', async () => {
      // Prepare
      await resolver.resolve(principal());
      clock += CACHE_MILLIS - 1;

      // Act
      await resolver.resolve(principal());

      // Assess
      expect(readSessionState).toHaveBeenCalledTimes(1);
    });

    it('reads again once cacheMillis has passed', async () => {
      // Prepare
      await resolver.resolve(principal());
      clock += CACHE_MILLIS;

      // Act
      await resolver.resolve(principal());

      // Assess
      expect(readSessionState).toHaveBeenCalledTimes(2);
    });

    it('lets a revocation take effect within cacheMillis', async () => {
      // Prepare
      await resolver.resolve(principal());
      stored = { revoked: true, notBefore: undefined, currentRole: 'owner' };
      clock += CACHE_MILLIS;

      // Act
      const resolving = resolver.resolve(principal());

      // Assess
      await expect(resolving).rejects.toBeInstanceOf(UnauthorizedError);
    });

    it('lets a lowered role take effect within cacheMillis', async () => {
      // Prepare
      await resolver.resolve(principal());
      stored = { revoked: false, notBefore: undefined, currentRole: 'viewer' };
      clock += CACHE_MILLIS;

      // Act
      const auth = await resolver.resolve(principal());

      // Assess
      expect(auth.tenant?.role).toBe('viewer');
    });

    it('keeps separate entries per session and per claimed tenant', async () => {
      // Prepare
      await resolver.resolve(principal());

      // Act
      await resolver.resolve(principal({ sessionId: 'session-2' }));
      await resolver.resolve(principal({ claimedTenant: { tenantId: 'tenant-b', role: 'owner' } }));

      // Assess
      expect(readSessionState.mock.calls).toEqual([
        ['user-1', 'session-1', 'tenant-a'],
        ['user-1', 'session-2', 'tenant-a'],
        ['user-1', 'session-1', 'tenant-b'],
      ]);
    });

    it("forget(userId) drops that user's entries and no one else's", async () => {
      // Prepare
      await resolver.resolve(principal());
      await resolver.resolve(principal({ sessionId: 'session-2' }));
      await resolver.resolve(principal({ userId: 'user-10' }));
      readSessionState.mockClear();

      // Act
      resolver.forget('user-1');
      await resolver.resolve(principal());
      await resolver.resolve(principal({ sessionId: 'session-2' }));
      await resolver.resolve(principal({ userId: 'user-10' }));

      // Assess
      expect(readSessionState.mock.calls).toEqual([
        ['user-1', 'session-1', 'tenant-a'],
        ['user-1', 'session-2', 'tenant-a'],
      ]);
    });

    it('does not cache a failed read', async () => {
      // Prepare
      readSessionState.mockRejectedValueOnce(new Error('ProvisionedThroughputExceededException'));
      await expect(resolver.resolve(principal())).rejects.toThrow('ProvisionedThroughputExceededException');

      // Act
      const auth = await resolver.resolve(principal());

      // Assess
      expect(auth.tenant).toEqual({ tenantId: 'tenant-a', role: 'owner' });
      expect(readSessionState).toHaveBeenCalledTimes(2);
    });

    it('reads on every request when cacheMillis is 0', async () => {
      // Prepare
      const uncached = createAuthContextResolver(readSessionState, { cacheMillis: 0, now: () => clock });

      // Act
      await uncached.resolve(principal());
      await uncached.resolve(principal());

      // Assess
      expect(readSessionState).toHaveBeenCalledTimes(2);
    });

    it('stays within maxEntries', async () => {
      // Prepare
      const small = createAuthContextResolver(readSessionState, { cacheMillis: CACHE_MILLIS, now: () => clock, maxEntries: 2 });
      await small.resolve(principal({ userId: 'user-a' }));
      await small.resolve(principal({ userId: 'user-b' }));
      await small.resolve(principal({ userId: 'user-c' }));
      readSessionState.mockClear();

      // Act
      await small.resolve(principal({ userId: 'user-a' }));

      // Assess
      expect(readSessionState).toHaveBeenCalledTimes(1);
    });
  });
});
