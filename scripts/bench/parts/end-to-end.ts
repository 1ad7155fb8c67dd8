/**
 * End to end on the local stack: `GET /me` and `GET /tenants/{id}/members`
 * through serverless-offline with a real token, autocannon at 1 and 10
 * connections. Informational: serverless-offline dominates these figures.
 */
import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import { benchStack, pointSrcAtStack } from '../lib/local-stack';
import { localCognito, uniqueEmail } from '../lib/local-world';
import { commandOf, type PartResult, runMeta, table } from '../lib/report';

const WARMUP_SECONDS = 2;
const DURATION_SECONDS = 5;
const CONNECTIONS = [1, 10];

type Load = { p50: number; p99: number; rps: number; requests: number; non2xx: number; errors: number };

const load = async (url: string, token: string, connections: number, duration: number): Promise<Load> => {
  const result = await autocannon({ url, connections, duration, headers: { authorization: `Bearer ${token}` } });
  return {
    p50: result.latency.p50,
    p99: result.latency.p99,
    rps: result.requests.average,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
  };
};

export const run = async (): Promise<PartResult> => {
  const meta = runMeta();
  const stack = benchStack();
  pointSrcAtStack(stack, randomBytes(32).toString('base64url'));
  // Imported after pointSrcAtStack: src/lib reads its configuration at load.
  const { createTenant } = await import('../../../src/lib/tenants/create-tenant');
  const cognito = localCognito(stack);
  const email = uniqueEmail('e2e-owner');
  const { tenant } = await createTenant((await import('../../../src/lib/auth/caller')).operatorCaller('operator:bench'), {
    name: 'Bench E2E',
    ownerEmail: email,
  });
  const owner = await cognito.signUp(email);
  cognito.destroy();

  // serverless-offline listens on 127.0.0.1; `localhost` may resolve to ::1 first.
  const api = `http://127.0.0.1:${stack.ports.api}`;
  const routes = [
    { label: '`GET /me`', url: `${api}/me` },
    { label: '`GET /tenants/{id}/members`', url: `${api}/tenants/${tenant.tenantId}/members` },
  ];
  const rows: (string | number)[][] = [];
  const results: { route: string; connections: number; r: Load }[] = [];
  for (const route of routes) {
    await load(route.url, owner.accessToken, 1, WARMUP_SECONDS);
    for (const connections of CONNECTIONS) {
      const r = await load(route.url, owner.accessToken, connections, DURATION_SECONDS);
      results.push({ route: route.label, connections, r });
      rows.push([route.label, connections, `${r.p50} ms`, `${r.p99} ms`, r.rps.toFixed(0), r.requests, r.non2xx + r.errors]);
    }
  }
  const failed = results.filter((x) => x.r.non2xx + x.r.errors > 0);
  const markdown = [
    `autocannon against serverless-offline (\`127.0.0.1:${'<free port>'}\`), a real access token of a tenant owner, ${WARMUP_SECONDS} s warm-up per route, then ${DURATION_SECONDS} s at each number of connections. serverless-offline runs each request through its own Lambda emulation (worker threads, event translation), so these figures say more about it than about the handlers: see the auth chain and DynamoDB sections for ours.`,
    '',
    table(['route', 'connections', 'p50', 'p99', 'req/s', 'requests', 'non-2xx or errors'], rows),
  ].join('\n');
  return {
    part: 'e2e',
    title: 'End to end on the local stack',
    meta,
    command: commandOf('e2e'),
    summary: results.map(({ route, connections, r }) => ({
      figure: `${route}, ${connections} connection${connections > 1 ? 's' : ''}`,
      measured: `p50 ${r.p50} ms, p99 ${r.p99} ms, ${r.rps.toFixed(0)} req/s`,
      target: 'informational',
      met: failed.length ? false : null,
    })),
    markdown,
  };
};
