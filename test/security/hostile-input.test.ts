import http from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { declareCsv } from '../integration/files/file-support';
import { api } from '../integration/support/api';
import { signIn } from '../integration/support/cognito';
import { NoAnswerError, type RawAnswer, type RawRequest, sendRaw } from '../integration/support/raw-http';
import { uniqueDomain } from '../integration/support/sso';
import { buildWorld, inviteAndSignUp } from '../integration/support/world';
import { assertParameters, fuzzSettings, Tally } from './support/fuzz';
import {
  type BodyMutation,
  bodyIsInvalid,
  bodyMutation,
  type ContentTypeMutation,
  contentTypeIsInvalid,
  contentTypeMutation,
  type HeaderMutation,
  headerMutation,
  type PathMutation,
  pathMutation,
  pathValueKind,
  type QueryMutation,
  queryMutation,
  renderBody,
  renderHeaders,
  renderQuery,
} from './support/hostile-inputs';
import {
  declaredRoutes,
  HOSTILE_ROUTES,
  type HostileRoute,
  type HostileWorld,
  methodOf,
  pathOf,
  tenantParamOf,
} from './support/hostile-routes';
import { writeSuiteReport } from './support/report';
import { changesBetween, describeChanges, readTable, type TableState } from './support/table-state';

/**
 * Issue 12.3: for every route, fast-check spoils one part of a request the
 * route answers (its body, content type, a path parameter, the query string,
 * or headers such as Cookie and Range) and checks each answer:
 *  - never a 5xx, and an answer within 10 s;
 *  - input the contract refuses (SPEC §3) is refused: 400 (413/415 allowed
 *    for bodies and content types), a hostile tenant id 403 (the tenant gate
 *    runs before validation), a hostile object id 400 or 404; input that
 *    happens to be valid, that the route does not read (a body on a GET, a
 *    query on a route without one, headers it ignores), or a dot segment that
 *    names another route, may succeed;
 *  - every 4xx is application/problem+json with its status, except what the
 *    local HTTP layer answers itself to requests API Gateway would not hand to
 *    the Lambda either (`layerRefusal`);
 *  - a refused request wrote nothing (the whole table is compared) and no
 *    answer carries tenant B's data (every caller belongs to tenant A or none);
 *  - PUT /tenants/{id}/sso refuses an invalid body before any outbound
 *    request: its valid body names an issuer on loopback that records every
 *    request (and answers 404, so a valid PUT is a 400 that never reaches
 *    Cognito), and an invalid one must leave no record there;
 *  - POST /sso/discover counts 30 requests a minute per source address: each
 *    of its cases comes from a loopback address of its own (the local layer
 *    passes the socket's address as API Gateway's `sourceIp`), so every case
 *    reaches the route's checks; the limit itself, and that X-Forwarded-For
 *    does not move it, is a test of its own.
 */
const FILE = 'test/security/hostile-input.test.ts';
const settings = fuzzSettings('hostile-input', FILE, 50);
const ANSWER_WITHIN_MS = 10_000;
/** HTTP API quota: "Total combined size of request line and header values: 10240 bytes". */
const GATEWAY_HEADER_LIMIT = 10_240;

type Drawn =
  | { family: 'body'; m: BodyMutation }
  | { family: 'content-type'; m: ContentTypeMutation }
  | { family: 'path'; m: PathMutation }
  | { family: 'query'; m: QueryMutation & { validFor: ('list' | 'audit')[] } }
  | { family: 'headers'; m: HeaderMutation };

/** The request, and what the contract says of it: `refuse` lists the statuses allowed, or is absent when any non-5xx is. */
type Planned = { req: RawRequest; refuse?: number[] };

const HAPI_BAD_REQUEST = '{"statusCode":400,"error":"Bad Request","message":"Bad Request"}';
const HAPI_BAD_CONTENT_TYPE = '{"statusCode":400,"error":"Bad Request","message":"Invalid content-type header"}';
const NO_ROUTE = '"error":"Serverless-offline: route not found."';

/** A loopback address of its own for the n-th request (127.64.0.1 onward): a source address the rate limit counts apart. */
const sourceAddress = (n: number): string => `127.${64 + Math.floor(n / 65_024)}.${Math.floor(n / 254) % 256}.${(n % 254) + 1}`;

/** An HTTP server on loopback that answers 404 to everything and remembers what it was asked. */
const startRecorder = async (): Promise<{ url: string; hits: string[]; close: () => Promise<void> }> => {
  const hits: string[] = [];
  const server = http.createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    res.writeHead(404, { 'content-type': 'text/plain' }).end('no such issuer');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};

/**
 * The refusals the local HTTP layer gives itself, before any Lambda runs (so
 * not problem+json), each recognised by its exact answer and allowed only for
 * the input that causes it:
 * - a request line and headers over 16 KiB (Node's limit; hapi answers a bare
 *   400, Node a bare 431): API Gateway refuses anything over 10,240 bytes too;
 * - an escape in the path that does not decode (`%zz`, `%ff`, `%ED%A0%80`):
 *   hapi's own 400 (API Gateway's answer to these is not documented; the
 *   local stack cannot show what the Lambda would do with one);
 * - a dot segment that leaves no route to match: 404, as API Gateway's
 *   `{"message":"Not Found"}`;
 * - a Content-Type hapi cannot parse (`application/json, text/plain`): its
 *   own 400 on routes that take a body. A gap of the local layer: API Gateway
 *   hands it to the Lambda, which answers the same 400 as problem+json.
 */
const layerRefusal = (d: Drawn, res: RawAnswer, oversized: boolean): string | undefined => {
  if (oversized && (res.status === 400 || res.status === 431) && res.text === '' && res.contentType === '') {
    return 'headers over 16 KiB';
  }
  if (d.family === 'content-type' && res.status === 400 && res.text === HAPI_BAD_CONTENT_TYPE) return 'content type hapi cannot parse';
  if (d.family !== 'path') return undefined;
  const kind = pathValueKind(d.m.raw);
  if (kind === 'undecodable' && res.status === 400 && res.text === HAPI_BAD_REQUEST) return 'undecodable escape in the path';
  if (kind === 'reroutes' && res.status === 404 && res.text.includes(NO_ROUTE)) return 'dot segment, no route';
  return undefined;
};

const headerBytes = (req: RawRequest): number =>
  Buffer.byteLength(`${req.method} ${req.path} HTTP/1.1\r\nHost: localhost:00000\r\n`, 'latin1') +
  req.headers.reduce((sum, [name, value]) => sum + Buffer.byteLength(`${name}: ${value}\r\n`, 'latin1'), 0) +
  (req.body === undefined ? 0 : 24);

describe('hostile input on every route: 4xx problem+json, never 5xx, never a hang, nothing written', () => {
  let world: HostileWorld;
  let table: TableState;
  let foreignSecrets: string[];
  let issuer: Awaited<ReturnType<typeof startRecorder>>;
  let sources = 0;
  const counts = { cases: 0, refused: 0, accepted: 0, serverErrors: 0, leaks: 0 };
  const breakdown = new Tally();
  let started = 0;

  beforeAll(async () => {
    const base = await buildWorld();
    const revoker = await inviteAndSignUp(base.tenantA, base.callers.owner, 'viewer', 'revoker');
    const declared = await declareCsv(base.callers.member, base.tenantA, 'hostile-get.csv', Buffer.from('a\n1\n'));
    const domain = uniqueDomain('hostile');
    const added = await api(`/tenants/${base.tenantA}/domains`, {
      method: 'POST',
      token: base.callers.owner.accessToken,
      body: { domain },
    });
    if (added.status !== 201) throw new Error(`adding the domain failed: ${added.status} ${added.text}`);
    issuer = await startRecorder();
    world = { ...base, revoker, fileId: declared.file.fileId, domain, issuer: `${issuer.url}/hostile-issuer` };
    foreignSecrets = [base.tenantB, base.callers.nonMember.userId, base.callers.nonMember.email];
    table = await readTable();
    started = Date.now();
  }, 180_000);

  afterAll(async () => {
    await issuer?.close();
    console.log(`[hostile-input] ${counts.cases} cases in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    if (settings.path) return; // a replayed counterexample is not a run to report
    writeSuiteReport({
      suite: 'hostile-input',
      title: `Hostile input on all ${HOSTILE_ROUTES.length} routes: bodies, content types, path parameters, query strings, headers`,
      ...counts,
      seed: settings.seed,
      breakdown: breakdown.counts,
    });
  });

  const drawnFor = (r: HostileRoute): fc.Arbitrary<Drawn> => {
    const spec = r.body ? { fields: r.body.fields, sample: r.body.valid(world) } : { fields: ['name'], sample: { name: 'x' } };
    const params = r.params(world).length;
    // Most cases go to the inputs the route reads; the others still check that what it ignores stays harmless.
    const weight = (reads: boolean, heavy: number) => (reads ? heavy : 1);
    return fc.oneof(
      {
        weight: weight(r.body !== undefined, 4),
        arbitrary: bodyMutation(spec.fields, spec.sample).map((m) => ({ family: 'body' as const, m })),
      },
      { weight: weight(r.body !== undefined, 2), arbitrary: contentTypeMutation.map((m) => ({ family: 'content-type' as const, m })) },
      ...(params > 0 ? [{ weight: 3, arbitrary: pathMutation(params).map((m) => ({ family: 'path' as const, m })) }] : []),
      { weight: weight(r.query !== undefined, 3), arbitrary: queryMutation.map((m) => ({ family: 'query' as const, m })) },
      { weight: 2, arbitrary: headerMutation.map((m) => ({ family: 'headers' as const, m })) },
    );
  };

  const plan = (r: HostileRoute, d: Drawn): Planned => {
    const params = r.params(world);
    const valid = r.body?.valid(world) ?? { name: 'not read by this route' };
    const caller = r.caller(world);
    let body: Buffer | undefined = r.body ? Buffer.from(JSON.stringify(valid)) : undefined;
    let contentTypes = r.body ? ['application/json'] : [];
    let query = '';
    let extra: [string, string][] = [];
    let refuse: number[] | undefined;
    switch (d.family) {
      case 'body':
        body = renderBody(d.m, valid);
        contentTypes = ['application/json'];
        if (r.body && bodyIsInvalid(d.m, r.body)) refuse = [400, 413];
        break;
      case 'content-type':
        body = Buffer.from(JSON.stringify(valid), d.m.encoding);
        contentTypes = d.m.lines;
        if (r.body && contentTypeIsInvalid(d.m)) refuse = [400, 415];
        break;
      case 'path':
        params[d.m.param] = d.m.raw;
        // A dot segment names another route (or none): whatever that route answers.
        if (pathValueKind(d.m.raw) !== 'reroutes') refuse = d.m.param === tenantParamOf(r) ? [403] : [400, 404];
        break;
      case 'query':
        query = `?${renderQuery(d.m)}`;
        if (r.query && !d.m.validFor.includes(r.query)) refuse = [400];
        break;
      case 'headers':
        extra = renderHeaders(d.m);
        break;
    }
    const headers: [string, string][] = [
      ...(caller ? [['Authorization', `Bearer ${caller.accessToken}`] as [string, string]] : []),
      ...contentTypes.map((ct) => ['Content-Type', ct] as [string, string]),
      ...extra,
    ];
    return {
      req: { method: methodOf(r), path: `${pathOf(r, params)}${query}`, headers, ...(body ? { body } : {}) },
      ...(refuse ? { refuse } : {}),
    };
  };

  const send = async (req: RawRequest, localAddress?: string) => {
    try {
      return await sendRaw(req, { timeoutMs: ANSWER_WITHIN_MS, ...(localAddress ? { localAddress } : {}) });
    } catch (err) {
      if (err instanceof NoAnswerError) throw new Error(`no answer within ${ANSWER_WITHIN_MS} ms: ${req.method} ${req.path.slice(0, 200)}`);
      throw err;
    }
  };

  const runCase = async (r: HostileRoute, d: Drawn): Promise<void> => {
    // Prepare
    const { req, refuse } = plan(r, d);
    const oversized = headerBytes(req) > GATEWAY_HEADER_LIMIT;
    const source = r.perSource ? sourceAddress(sources++) : undefined;
    const issuerHits = issuer.hits.length;

    // Act
    const res = await send(req, source);
    const after = await readTable();
    const changes = changesBetween(table, after);
    table = after;
    if (r.route === 'POST /sessions/revoke' && res.status < 300) {
      // It ended the revoker's session: a new one for the next case, its sign-in not counted as the case's write.
      world.revoker = { ...world.revoker, ...(await signIn(world.revoker.email)) };
      table = await readTable();
    }

    // Assess
    const what = `${req.method} ${req.path.slice(0, 300)} (${d.family}: ${JSON.stringify(d.m).slice(0, 300)}) → ${res.status} ${res.contentType} ${res.text.slice(0, 300)}`;
    const fromLayer = layerRefusal(d, res, oversized);
    const refused = res.status >= 400 && res.status < 500;
    const leaked = foreignSecrets.filter((s) => res.text.includes(s));
    counts.cases += 1;
    breakdown.add(r.route);
    breakdown.add(`family: ${d.family}`);
    if (fromLayer) breakdown.add(`answered by the HTTP layer: ${fromLayer}`);
    if (res.status >= 500) counts.serverErrors += 1;
    if (refuse && refused) counts.refused += 1;
    if (refuse) breakdown.add('invalid per the contract');
    if (refuse && res.status < 300) counts.accepted += 1;
    if (leaked.length > 0 || (refused && changes.length > 0)) counts.leaks += 1;

    expect(res.status, `a server error for ${what}`).toBeLessThan(500);
    if (refuse && !fromLayer) expect(refuse, `the status of ${what}`).toContain(res.status);
    if (refused && !fromLayer) {
      expect(res.contentType, `the content type of ${what}`).toMatch(/^application\/problem\+json/);
      expect(JSON.parse(res.text), `the problem of ${what}`).toMatchObject({ status: res.status, title: expect.any(String) });
    }
    if (refused) expect(describeChanges(changes), `a refused request wrote: ${what}`).toBe('');
    expect(leaked, `tenant B's data in the answer to ${what}`).toEqual([]);
    const fetched = issuer.hits.slice(issuerHits);
    if (fetched.length > 0) breakdown.add(`${r.route}: valid, fetched the issuer, then refused`);
    if (refuse) expect(fetched, `an invalid request fetched the issuer: ${what}`).toEqual([]);
    if (r.route === 'PUT /tenants/{tenantId}/sso') expect(res.status, `the issuer answers 404: ${what}`).toBeGreaterThanOrEqual(400);
    if (source) expect(res.status, `a request from an address of its own met the rate limit: ${what}`).not.toBe(429);
  };

  it('covers every route serverless.yml declares', () => {
    expect(HOSTILE_ROUTES.map((r) => r.route).sort()).toEqual(declaredRoutes());
  });

  // Found by this suite: serverless-offline gave a body sent without a Content-Type `application/json`,
  // where API Gateway hands the Lambda none; patches/serverless-offline no longer adds it.
  it('refuses a JSON body sent without a Content-Type with 400 problem+json, as on AWS', async () => {
    // Prepare
    const body = Buffer.from(JSON.stringify({ name: 'Tenant A' }));
    const headers: [string, string][] = [['Authorization', `Bearer ${world.callers.owner.accessToken}`]];

    // Act
    const res = await send({ method: 'PATCH', path: `/tenants/${world.tenantA}`, headers, body });
    table = await readTable();

    // Assess
    expect(res.status).toBe(400);
    expect(res.contentType).toMatch(/^application\/problem\+json/);
  });

  it('limits POST /sso/discover to 30 requests a minute per source address, whatever X-Forwarded-For says', async () => {
    // Prepare: 31 requests inside one clock minute (the counter's window), from one address
    const source = '127.63.0.1';
    const discover = (forwardedFor: string, from = source) =>
      send(
        {
          method: 'POST',
          path: '/sso/discover',
          headers: [
            ['Content-Type', 'application/json'],
            ['X-Forwarded-For', forwardedFor],
          ],
          body: JSON.stringify({ email: 'someone@hostile-discover.test' }),
        },
        from,
      );
    const secondsLeft = 60 - new Date().getUTCSeconds();
    if (secondsLeft < 15) await new Promise((r) => setTimeout(r, secondsLeft * 1000 + 200));
    const window = new Date().toISOString().slice(0, 16);
    const firstThirty: number[] = [];
    for (let i = 0; i < 30; i += 1) firstThirty.push((await discover(`198.51.100.${i + 1}`)).status);
    const before = await readTable();

    // Act
    const limited = await discover('203.0.113.99');
    const afterLimited = await readTable();
    const otherSource = await discover('203.0.113.99', '127.63.0.2');
    table = await readTable();

    // Assess
    expect(new Date().toISOString().slice(0, 16), 'the requests spanned two clock minutes').toBe(window);
    expect(firstThirty).toEqual(Array.from({ length: 30 }, () => 200));
    expect(limited.status).toBe(429);
    expect(limited.contentType).toMatch(/^application\/problem\+json/);
    expect(limited.body).toMatchObject({ status: 429 });
    expect(Number(limited.header('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(limited.header('retry-after'))).toBeLessThanOrEqual(60);
    expect(describeChanges(changesBetween(before, afterLimited)), 'the refused request wrote').toBe('');
    // Counted under the socket's address (API Gateway's sourceIp), never a header's.
    const counter = [...afterLimited.entries()].filter(([key]) => key.startsWith('RATE#discover#'));
    expect(counter.map(([key]) => key.split('\u0000')[0])).toContain(`RATE#discover#${source}`);
    expect(counter.map(([key]) => key).join(' ')).not.toMatch(/198\.51\.100\.|203\.0\.113\./);
    expect(JSON.parse(before.get(`RATE#discover#${source}\u0000${window}`) ?? '{}')).toMatchObject({ count: 30 });
    expect(otherSource.status).toBe(200);
  });

  for (const r of HOSTILE_ROUTES) {
    const name = `${r.route} answers hostile input with 4xx problem+json, never 5xx, and writes nothing when it refuses`;
    it(name, async () => {
      await fc.assert(
        fc.asyncProperty(drawnFor(r), (d) => runCase(r, d)),
        assertParameters(settings, name),
      );
    });
  }
});
