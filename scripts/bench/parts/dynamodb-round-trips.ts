/**
 * DynamoDB round trips per route, counted by a middleware on the module-scope
 * DynamoDB client (src/lib/db/client.ts) while the real handler modules serve
 * API Gateway v2 events in this process, against the local stack, with real
 * tokens of people signed up through cognito-local and its real triggers.
 * Each route is called twice: with the caller's auth context evicted (cold
 * cache), then again at once (warm cache).
 */

import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { build } from 'esbuild';
import { AUDIT_SHARDS, auditPartitions } from '../../../src/lib/db/keys';
import { esbuildOptions } from '../lib/esbuild-options';
import { httpEvent } from '../lib/http-event';
import { lambdaContext } from '../lib/lambda-context';
import { benchStack, pointSrcAtStack } from '../lib/local-stack';
import { localCognito, type Person, uniqueEmail } from '../lib/local-world';
import { commandOf, type PartResult, runMeta, table } from '../lib/report';
import { entryOf, httpRouteOf, loadServiceConfig } from '../lib/service-config';
import { REPO_ROOT } from '../lib/source-root';
import { benchWorkDir } from '../lib/workdir';

type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<{ statusCode: number; body?: string }>;
type Call = { op: string; auth: boolean };
type Request = {
  caller?: Person;
  path?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  before?: () => Promise<void>;
};
/** One route's two calls; `minimum` is what the route itself must read or write (auth context excluded), and why. */
type Scenario = { cold: Request; warm: Request; expect: number; minimum: number; why: string };

const eventFor = (method: string, route: string, req: Request): APIGatewayProxyEventV2 =>
  httpEvent({
    method,
    route,
    ...(req.path ? { path: req.path } : {}),
    ...(req.query ? { query: req.query } : {}),
    ...(req.caller ? { headers: { authorization: `Bearer ${req.caller.accessToken}` } } : {}),
    ...(req.body !== undefined ? { body: req.body } : {}),
  });

export const run = async (): Promise<PartResult> => {
  const meta = runMeta();
  const stack = benchStack();
  const config = await loadServiceConfig();
  pointSrcAtStack(stack, randomBytes(32).toString('base64url'), config.provider.environment);
  // Imported after pointSrcAtStack: src/lib reads its configuration at load.
  const { dynamodb } = await import('../../../src/lib/db/client');
  const { authContextResolver } = await import('../../../src/lib/auth/authenticator');
  const { createTenant } = await import('../../../src/lib/tenants/create-tenant');

  const utf8 = new TextDecoder();
  // Every request the client sends, inside the retry loop (a retry is a round trip too).
  let recording: Call[] | undefined;
  dynamodb.middlewareStack.add(
    (next) => async (args) => {
      if (recording) {
        const request = args.request as { headers?: Record<string, string>; body?: unknown };
        const op = (request.headers?.['x-amz-target'] ?? 'unknown').split('.').pop() ?? 'unknown';
        const raw = typeof request.body === 'string' ? request.body : request.body instanceof Uint8Array ? utf8.decode(request.body) : '';
        // The session-state read of the auth context (src/lib/auth/session-state.ts): a TransactGetItems whose first key is the session marker.
        const auth = op === 'TransactGetItems' && /^\{"TransactItems":\[\{"Get":\{.*?"sk":\{"S":"SESSION#/.test(raw);
        recording.push({ op, auth });
      }
      return next(args);
    },
    { step: 'finalizeRequest', priority: 'low', name: 'benchRoundTripCounter' },
  );

  const routes = Object.entries(config.functions)
    .map(([name, fn]) => ({ name, fn, route: httpRouteOf(fn) }))
    .filter((r): r is typeof r & { route: { method: string; path: string } } => Boolean(r.route));
  const handlers = new Map<string, Handler>();
  for (const r of routes) {
    const { entry, exportName } = entryOf(r.fn);
    const mod = (await import(path.join(REPO_ROOT, entry))) as Record<string, Handler>;
    handlers.set(r.name, mod[exportName] as Handler);
  }
  const context = lambdaContext();
  const invoke = async (name: string, req: Request, record?: Call[]) => {
    const r = routes.find((x) => x.name === name);
    const handler = handlers.get(name);
    if (!r || !handler) throw new Error(`no route ${name}`);
    recording = record;
    try {
      return await handler(eventFor(r.route.method, r.route.path, req), context);
    } finally {
      recording = undefined;
    }
  };
  const mustInvoke = async (name: string, req: Request, status: number) => {
    const res = await invoke(name, req);
    if (res.statusCode !== status) throw new Error(`setup: ${name} answered ${res.statusCode}: ${res.body}`);
    return JSON.parse(res.body || '{}') as Record<string, unknown>;
  };

  // The world: tenant A with its owner, two members and two invites to revoke; X, owner of tenant B,
  // with pending invites into A and C; a platform admin; two spare sessions of the owner.
  const cognito = localCognito(stack);
  const { operatorCaller } = await import('../../../src/lib/auth/caller');
  const operator = operatorCaller('operator:bench');
  const ownerEmail = uniqueEmail('owner');
  const a = await createTenant(operator, { name: 'Bench A', ownerEmail });
  const tenantA = a.tenant.tenantId;
  const owner = await cognito.signUp(ownerEmail);
  const opsEmail = uniqueEmail('operator');
  await createTenant(operator, { name: 'Operators', ownerEmail: opsEmail });
  const platformAdmin = await cognito.makePlatformAdmin(await cognito.signUp(opsEmail));
  const xEmail = uniqueEmail('x');
  const b = await createTenant(operator, { name: 'Bench B', ownerEmail: xEmail });
  const x = await cognito.signUp(xEmail);
  const inviteXA = String(
    (await mustInvoke('createInvite', { caller: owner, path: { tenantId: tenantA }, body: { email: xEmail, role: 'member' } }, 201))
      .inviteId,
  );
  const c = await createTenant(operator, { name: 'Bench C', ownerEmail: xEmail });
  const members: Person[] = [];
  for (const label of ['m1', 'm2']) {
    const email = uniqueEmail(label);
    await mustInvoke('createInvite', { caller: owner, path: { tenantId: tenantA }, body: { email, role: 'member' } }, 201);
    members.push(await cognito.signUp(email));
  }
  const [m1, m2] = members as [Person, Person];
  const revocable: string[] = [];
  for (const label of ['r1', 'r2']) {
    const res = await mustInvoke(
      'createInvite',
      { caller: owner, path: { tenantId: tenantA }, body: { email: uniqueEmail(label), role: 'viewer' } },
      201,
    );
    revocable.push(String(res.inviteId));
  }
  const [s1, s2] = [await cognito.signIn(ownerEmail), await cognito.signIn(ownerEmail)];
  cognito.destroy();
  // Declared uploads for the files routes, where serverless.yml has them (they were being written alongside this bench).
  const fileIds: string[] = [];
  const declaration = { name: 'bench.csv', contentType: 'text/csv', size: 1024 };
  if (['createFile', 'getFile', 'deleteFile'].every((n) => routes.some((r) => r.name === n))) {
    for (let i = 0; i < 3; i++) {
      const res = await mustInvoke('createFile', { caller: owner, path: { tenantId: tenantA }, body: declaration }, 201);
      fileIds.push(String((res.file as { fileId?: unknown } | undefined)?.fileId));
    }
  }

  const inA = (extra: Record<string, string> = {}) => ({ tenantId: tenantA, ...extra });
  const scenarios: Record<string, Scenario> = {
    health: { cold: {}, warm: {}, expect: 200, minimum: 0, why: 'no data' },
    getMe: {
      cold: { caller: owner },
      warm: { caller: owner },
      expect: 200,
      minimum: 2,
      why: "one Query of the user's partition (profile and memberships), then the tenants' current names (one BatchGetItem: names live only on the tenant)",
    },
    listMyInvites: {
      cold: { caller: x },
      warm: { caller: x },
      expect: 200,
      minimum: 3,
      why: "the verified email (user profile), one Query of the email's invites, then the tenants' current names (one BatchGetItem)",
    },
    acceptMyInvite: {
      cold: { caller: x, path: { inviteId: inviteXA } },
      warm: { caller: x, path: { inviteId: c.invite.inviteId } },
      expect: 201,
      minimum: 4,
      why: "the verified email, the invite, the tenant's current name (read before the write), then one transaction (membership, invite accepted, audit)",
    },
    setActiveTenant: {
      cold: { caller: x, body: { tenantId: tenantA } },
      warm: { caller: x, body: { tenantId: b.tenant.tenantId } },
      expect: 200,
      minimum: 1,
      why: 'one conditional update (the membership must exist)',
    },
    createTenant: {
      cold: { caller: platformAdmin, body: { name: 'Bench D', ownerEmail: uniqueEmail('d') } },
      warm: { caller: platformAdmin, body: { name: 'Bench E', ownerEmail: uniqueEmail('e') } },
      expect: 201,
      minimum: 1,
      why: 'one transaction (tenant, directory, invite, audit)',
    },
    getTenant: { cold: { caller: owner, path: inA() }, warm: { caller: owner, path: inA() }, expect: 200, minimum: 1, why: 'one GetItem' },
    updateTenant: {
      cold: { caller: owner, path: inA(), body: { name: 'Bench A one' } },
      warm: { caller: owner, path: inA(), body: { name: 'Bench A two' } },
      expect: 200,
      minimum: 2,
      why: 'the tenant (its audit event records the old name), then one transaction (tenant, directory, audit)',
    },
    listMembers: { cold: { caller: owner, path: inA() }, warm: { caller: owner, path: inA() }, expect: 200, minimum: 1, why: 'one Query' },
    updateMemberRole: {
      cold: { caller: owner, path: inA({ userId: m1.userId }), body: { role: 'admin' } },
      warm: { caller: owner, path: inA({ userId: m2.userId }), body: { role: 'admin' } },
      expect: 200,
      minimum: 2,
      why: 'the current role (the rules depend on it), then one transaction (both membership items, owner count, audit)',
    },
    removeMember: {
      cold: { caller: owner, path: inA({ userId: m1.userId }) },
      warm: { caller: owner, path: inA({ userId: m2.userId }) },
      expect: 204,
      minimum: 3,
      why: 'the current role, the pending invite of their email (revoked in the same write), then one transaction',
    },
    createInvite: {
      cold: { caller: owner, path: inA(), body: { email: uniqueEmail('i1'), role: 'viewer' } },
      warm: { caller: owner, path: inA(), body: { email: uniqueEmail('i2'), role: 'viewer' } },
      expect: 201,
      minimum: 2,
      why: 'the tenant name for the invite email, then one transaction (invite, email index, not-a-member check, hourly count, audit)',
    },
    listInvites: { cold: { caller: owner, path: inA() }, warm: { caller: owner, path: inA() }, expect: 200, minimum: 1, why: 'one Query' },
    revokeInvite: {
      cold: { caller: owner, path: inA({ inviteId: revocable[0] as string }) },
      warm: { caller: owner, path: inA({ inviteId: revocable[1] as string }) },
      expect: 204,
      minimum: 2,
      why: 'the invite (its email keys the index item), then one transaction',
    },
    listAudit: {
      cold: { caller: owner, path: inA() },
      warm: { caller: owner, path: inA() },
      expect: 200,
      minimum: auditPartitions(tenantA).length,
      why: `one Query of each of the log's ${AUDIT_SHARDS} shards and of its pre-sharding partition, sent together (one round-trip time): a tenant's sign-ins spread over the shards`,
    },
    ...(fileIds.length
      ? {
          createFile: {
            cold: { caller: owner, path: inA(), body: declaration },
            warm: { caller: owner, path: inA(), body: declaration },
            expect: 201,
            minimum: 1,
            why: 'one conditional Put of the pending file (the presigned URL is computed locally)',
          },
          listFiles: {
            cold: { caller: owner, path: inA() },
            warm: { caller: owner, path: inA() },
            expect: 200,
            minimum: 1,
            why: 'one Query',
          },
          getFile: {
            cold: { caller: owner, path: inA({ fileId: fileIds[0] as string }) },
            warm: { caller: owner, path: inA({ fileId: fileIds[0] as string }) },
            expect: 200,
            minimum: 1,
            why: 'one GetItem',
          },
          deleteFile: {
            cold: { caller: owner, path: inA({ fileId: fileIds[1] as string }) },
            warm: { caller: owner, path: inA({ fileId: fileIds[2] as string }) },
            expect: 204,
            minimum: 2,
            why: 'the file (uploader and key), then one transaction (delete and audit); the object delete goes to S3',
          },
        }
      : {}),
    revokeSession: {
      cold: { caller: s1, body: {} },
      // A session is revoked once: its warm call is the first request of another session whose context a getMe just cached.
      warm: { caller: s2, body: {}, before: async () => void (await invoke('getMe', { caller: s2 })) },
      expect: 204,
      minimum: 1,
      why: 'one transaction (revocation marker and audit)',
    },
  };

  type Row = { name: string; method: string; path: string; cold: Call[]; warm: Call[]; status: string; scenario: Scenario | undefined };
  const rows: Row[] = [];
  // Scenario order (an invite is accepted before its tenant is made active), then any route without one.
  const order = Object.keys(scenarios);
  const rank = (name: string) => (order.includes(name) ? order.indexOf(name) : order.length);
  for (const r of [...routes].sort((x, y) => rank(x.name) - rank(y.name))) {
    const scenario = scenarios[r.name];
    // A route with no scenario (added after this bench) gets a generic request as tenant A's owner.
    const generic: Request = {
      caller: owner,
      path: Object.fromEntries(
        [...r.route.path.matchAll(/\{(\w+)\}/g)].map((m) => [m[1], m[1] === 'tenantId' ? tenantA : 'bench-missing']),
      ),
    };
    const statuses: number[] = [];
    const cold: Call[] = [];
    const warm: Call[] = [];
    const coldReq = scenario?.cold ?? generic;
    if (coldReq.caller) authContextResolver.forget(coldReq.caller.userId);
    await coldReq.before?.();
    statuses.push((await invoke(r.name, coldReq, cold)).statusCode);
    const warmReq = scenario?.warm ?? generic;
    await warmReq.before?.();
    statuses.push((await invoke(r.name, warmReq, warm)).statusCode);
    const ok = scenario ? statuses.every((s) => s === scenario.expect) : true;
    rows.push({
      name: r.name,
      method: r.route.method,
      path: r.route.path,
      cold,
      warm,
      status: `${statuses.join(', ')}${ok ? '' : ' (unexpected)'}`,
      scenario,
    });
  }

  // The bundles as configured (cold-start section: ESM builds of the SDK, tree-shaken) must serve real requests
  // too: a few routes bundled that way, loaded as Lambda loads them, called with the owner's token against the same stack.
  const smoke: string[] = [];
  for (const name of ['getMe', 'listMembers', 'listInvites', 'createInvite', 'listFiles']) {
    const r = routes.find((x) => x.name === name);
    if (!r) continue;
    const { entry, exportName } = entryOf(r.fn);
    const outdir = path.join(benchWorkDir(), 'configured-bundles', name);
    await build({ ...esbuildOptions(config, []), absWorkingDir: REPO_ROOT, entryPoints: [entry], outdir });
    const bundle = (await import(path.join(outdir, `${path.basename(entry, '.ts')}.js`))) as Record<
      string,
      Handler | { [k: string]: Handler }
    >;
    const handler = (bundle[exportName] ?? (bundle.default as Record<string, Handler>)?.[exportName]) as Handler;
    const body = name === 'createInvite' ? { email: uniqueEmail('smoke'), role: 'viewer' } : scenarios[name]?.warm.body;
    const req = { ...(scenarios[name]?.warm ?? {}), body, caller: owner };
    const res = await handler(eventFor(r.route.method, r.route.path, req), context);
    smoke.push(`\`${r.route.method} ${r.route.path}\` ${res.statusCode}`);
  }

  const describe = (calls: Call[]) => {
    const auth = calls.filter((c) => c.auth).length;
    const ops = calls.map((c) => (c.auth ? `${c.op} (auth)` : c.op));
    // A run of the same operation once, with its count: the audit log's 33 parallel Queries read "Query ×33".
    const runs = ops.reduce<{ op: string; n: number }[]>((acc, op) => {
      const last = acc.at(-1);
      if (last?.op === op) last.n += 1;
      else acc.push({ op, n: 1 });
      return acc;
    }, []);
    return { total: calls.length, auth, ops: runs.length ? runs.map((r) => (r.n > 1 ? `${r.op} ×${r.n}` : r.op)).join(', ') : '–' };
  };
  const scans = rows.flatMap((r) => [...r.cold, ...r.warm].filter((c) => c.op === 'Scan').map(() => r.name));
  const verdicts = rows.map((r) => {
    const cold = describe(r.cold);
    const warm = describe(r.warm);
    const needs = r.scenario?.minimum;
    const authOk = cold.auth <= 1 && warm.auth === 0;
    const routeOk = needs === undefined || (cold.total - cold.auth <= needs && warm.total - warm.auth <= needs);
    return { r, cold, warm, needs, ok: authOk && routeOk && !scans.includes(r.name) };
  });
  const over = verdicts.filter((v) => !v.ok).map((v) => v.r.name);
  const filesRoutes = routes.filter((r) => r.route.path.includes('/files'));
  const filesHandlers = fs.existsSync(path.join(REPO_ROOT, 'src/handlers/files'));

  const markdown = [
    `Every HTTP function in serverless.yml (${routes.length}), its handler module imported in-process and pointed at the local stack's DynamoDB Local, called with a real access token; a \`finalizeRequest\` middleware on the exported \`dynamodb\` client counts every request it sends (retries included) and names its operation from \`X-Amz-Target\`; "(auth)" marks the auth context's session-state read. Cold: the caller's cached auth context evicted first (as in a new container); warm: the same call again at once (a different object where the first call consumed it). Minimum: what the route itself must read or write, from its code and the data model, auth context excluded.`,
    '',
    table(
      ['route', 'status', 'cold: calls (auth)', 'warm: calls (auth)', 'operations, cold', 'minimum', 'within target'],
      verdicts.map(({ r, cold, warm, needs, ok }) => [
        `\`${r.method} ${r.path}\``,
        r.status,
        `${cold.total} (${cold.auth})`,
        `${warm.total} (${warm.auth})`,
        cold.ops,
        needs === undefined ? 'not assessed (no scenario)' : `${needs}: ${r.scenario?.why}`,
        ok ? 'yes' : '**no**',
      ]),
    ),
    '',
    `**Notes.** The auth context is one TransactGetItems (the session's revocation marker, the user-wide one and the claimed membership, strongly consistent) with a cold cache and nothing with a warm one. The role-change and removal routes evict the *target's* cached context, so the change binds at once (the caller's stays warm); \`POST /sessions/revoke\` evicts the caller's. ${over.length ? `Above their minimum: ${over.join(', ')}.` : 'No route reads or writes more than its minimum.'} Every list is one Query of one partition, but the audit log: one Query of each of its partitions, in parallel.`,
    '',
    `The bundles as configured (see Cold start), loaded as Lambda loads them, serving real requests on this stack: ${smoke.join(', ')}.`,
    '',
    scans.length ? `**Scan** used by: ${[...new Set(scans)].join(', ')}.` : 'No Scan anywhere.',
    '',
    filesRoutes.length
      ? `Files routes counted: ${filesRoutes.map((r) => `\`${r.route.method} ${r.route.path}\``).join(', ')}.`
      : `The files routes are not counted: serverless.yml has no function for them yet${filesHandlers ? ' (src/handlers/files exists)' : ' and src/handlers/files does not exist'}; a re-run of \`${commandOf('dynamodb')}\` counts them once they are declared.`,
  ].join('\n');

  const authWorst = Math.max(...verdicts.map((v) => v.cold.auth));
  const authWarmWorst = Math.max(...verdicts.map((v) => v.warm.auth));
  return {
    part: 'dynamodb',
    title: 'DynamoDB round trips per route',
    meta,
    command: commandOf('dynamodb'),
    summary: [
      {
        figure: 'auth context round trips per request, cold / warm cache (worst route)',
        measured: `${authWorst} / ${authWarmWorst}`,
        target: '≤ 1 / 0',
        met: authWorst <= 1 && authWarmWorst === 0,
      },
      {
        figure: 'routes above auth + their minimum',
        measured: over.length ? over.join(', ') : 'none',
        target: 'none',
        met: over.length === 0,
      },
      { figure: 'Scan operations', measured: String(scans.length), target: '0', met: scans.length === 0 },
    ],
    markdown,
  };
};
