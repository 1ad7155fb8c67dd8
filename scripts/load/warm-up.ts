import { randomUUID } from 'node:crypto';
import type { Role } from '../../src/lib/auth/roles';
import type { Ledger } from './ledger';
import type { LoadTenant } from './world';

/**
 * serverless-offline starts a new worker (a cold start) for every request
 * that finds all of its function's workers busy, and keeps them for a minute.
 * Twenty connections arriving at once on a cold stack would queue twenty cold
 * starts on two cores and time out. So before the load, each function the
 * load calls is brought to `concurrency` warm workers, one more per wave, with
 * requests that change nothing: reads, and writes the handler refuses (an
 * invalid body, an invite or file that does not exist). Their answers are recorded
 * under `warm-up` (a 5xx there counts as one).
 */
export const WARM_UP = 'warm-up (changes nothing)';
const TIMEOUT_MS = 30_000;

type Probe = { as: Role; method: string; path: string; body?: unknown; expect: number };

const probesOf = (x: LoadTenant): Probe[] => {
  const t = `/tenants/${x.tenantId}`;
  return [
    { as: 'viewer', method: 'GET', path: '/me', expect: 200 },
    { as: 'member', method: 'GET', path: t, expect: 200 },
    { as: 'viewer', method: 'GET', path: `${t}/members`, expect: 200 },
    { as: 'member', method: 'GET', path: `${t}/files`, expect: 200 },
    { as: 'owner', method: 'GET', path: `${t}/audit?limit=25`, expect: 200 },
    { as: 'admin', method: 'GET', path: `${t}/invites?limit=10`, expect: 200 },
    { as: 'admin', method: 'POST', path: `${t}/invites`, body: {}, expect: 400 },
    { as: 'owner', method: 'PATCH', path: t, body: {}, expect: 400 },
    { as: 'admin', method: 'DELETE', path: `${t}/invites/${randomUUID()}`, expect: 404 },
    { as: 'member', method: 'POST', path: `${t}/files`, body: {}, expect: 400 },
    { as: 'member', method: 'DELETE', path: `${t}/files/${randomUUID()}`, expect: 404 },
    // An unknown field: refused before anything is revoked (the token stays valid).
    { as: 'viewer', method: 'POST', path: '/sessions/revoke', body: { warmUp: true }, expect: 400 },
  ];
};

const probe = async (apiUrl: string, tenant: LoadTenant, p: Probe, ledger: Ledger): Promise<void> => {
  const started = performance.now();
  try {
    const res = await fetch(`${apiUrl}${p.path}`, {
      method: p.method,
      headers: { authorization: `Bearer ${tenant.users[p.as].accessToken}`, 'content-type': 'application/json' },
      ...(p.body === undefined ? {} : { body: JSON.stringify(p.body) }),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    const body = await res.text();
    const refusals = p.expect >= 400 ? [p.expect] : [];
    ledger.answered(WARM_UP, { status: res.status, ms: performance.now() - started, body, refusals });
  } catch (err) {
    const timedOut = (err as { name?: string }).name === 'TimeoutError';
    ledger.unanswered(WARM_UP, timedOut ? 'timedOut' : 'failed', undefined, `${p.method} ${p.path}: ${String(err)}`);
  }
};

export const warmUp = async (apiUrl: string, tenant: LoadTenant, concurrency: number, ledger: Ledger): Promise<void> => {
  const probes = probesOf(tenant);
  for (let wave = 1; wave <= concurrency; wave += 1) {
    await Promise.all(probes.flatMap((p) => Array.from({ length: wave }, () => probe(apiUrl, tenant, p, ledger))));
  }
};
