import { setTimeout as sleep } from 'node:timers/promises';
import { PASSWORD } from '../bench/lib/local-world';
import { signInWithSrp } from '../local/sign-in';
import type { Ledger } from './ledger';
import type { LoadUser, LoadWorld } from './world';

/**
 * Sign-ins beside the HTTP load: each one an SRP sign-in as the clients do it
 * (auth.login), then `POST /sessions/revoke` with that session's own token and
 * refresh token (session.revoked), so the load's own tokens stay valid.
 *
 * PostAuthentication audits identical sign-ins of one user through one app
 * client less than 10 s apart as one (sign-in-key.ts). So that every sign-in
 * here is expected to leave exactly one auth.login, a user signs in again only
 * SPACING_MS after their previous sign-in (the set-up's included) has ended.
 */
const SPACING_MS = 12_000;
const TIMEOUT_MS = 10_000;

const sessionOf = (token: string): string => {
  const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { origin_jti?: unknown };
  return String(payload.origin_jti);
};

const errorText = (err: unknown): string => {
  const e = err as { code?: unknown; name?: string; message?: string };
  return `${typeof e.code === 'string' ? e.code : (e.name ?? 'Error')}: ${e.message ?? String(err)}`;
};

export type SignInLoad = { stop: () => Promise<void> };

export const startSignIns = (
  world: LoadWorld,
  app: { endpoint: string; userPoolId: string; clientId: string },
  apiUrl: string,
  ledger: Ledger,
  workers: number,
): SignInLoad => {
  const users = world.tenants.flatMap((t) => Object.values(t.users));
  const busy = new Set<string>();
  let running = true;

  /** The user whose last sign-in ended longest ago, if that is at least SPACING_MS ago. */
  const nextUser = (): LoadUser | undefined => {
    const ready = users
      .filter((u) => !busy.has(u.userId) && Date.now() - (world.lastSignIn.get(u.userId) ?? 0) >= SPACING_MS)
      .sort((a, b) => (world.lastSignIn.get(a.userId) ?? 0) - (world.lastSignIn.get(b.userId) ?? 0));
    return ready[0];
  };

  const revoke = async (accessToken: string, refreshToken: string): Promise<void> => {
    const route = 'POST /sessions/revoke';
    const mutation = { type: 'session.revoked', key: sessionOf(accessToken) } as const;
    const started = performance.now();
    try {
      const res = await fetch(`${apiUrl}/sessions/revoke`, {
        method: 'POST',
        headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ scope: 'session', refreshToken }),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      const body = await res.text();
      ledger.answered(route, { status: res.status, ms: performance.now() - started, body, refusals: [], mutation });
    } catch (err) {
      ledger.unanswered(route, (err as { name?: string }).name === 'TimeoutError' ? 'timedOut' : 'failed', mutation, errorText(err));
    }
  };

  const once = async (user: LoadUser): Promise<void> => {
    busy.add(user.userId);
    const started = performance.now();
    try {
      const tokens = await signInWithSrp(app, user.email, PASSWORD).catch((err: unknown) => {
        ledger.signIn(false, performance.now() - started, user.userId, errorText(err));
      });
      if (!tokens) return;
      ledger.signIn(true, performance.now() - started, user.userId);
      await revoke(tokens.accessToken, tokens.refreshToken);
    } finally {
      world.lastSignIn.set(user.userId, Date.now());
      busy.delete(user.userId);
    }
  };

  const worker = async (): Promise<void> => {
    while (running) {
      const user = nextUser();
      if (user) await once(user);
      else await sleep(200);
    }
  };

  const all = Promise.all(Array.from({ length: workers }, () => worker()));
  return {
    stop: async () => {
      running = false;
      await all;
    },
  };
};
