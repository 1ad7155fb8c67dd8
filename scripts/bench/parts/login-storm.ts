/**
 * One tenant's login storm (a 50,000-seat customer at 9 AM) against
 * DynamoDB's per-partition limits: measure what a sign-in and a cold auth
 * context cost from the real code (storm/capture.ts), model the load for the
 * audit log in one partition (before) and sharded (now) (storm/model.ts), and
 * render it here. DynamoDB Local does not throttle, so this is a model.
 */
import { AUDIT_SHARDS } from '../../../src/lib/db/keys';
import { commandOf, type PartResult, runMeta, table } from '../lib/report';
import { loadServiceConfig } from '../lib/service-config';
import {
  COGNITO_USER_AUTHENTICATION_RPS,
  NEW_TABLE_WARM,
  PARTITION_RCU,
  PARTITION_WCU,
  TABLE_QUOTA,
  TRANSACTION_FACTOR,
} from '../storm/capacity';
import { type Capture, captureSignIn } from '../storm/capture';
import {
  ASSUMED_MS,
  busiestShard,
  busiestSharedWcu,
  costs,
  maxAuthMissesByPartition,
  maxSignInsByPartition,
  simulateBusiestShard,
  triggerMillis,
} from '../storm/model';

const RATES = [1_000, 2_000, 3_000, 4_000, 5_000, 6_000, 7_000, 8_000, 9_000, 10_000];
const TARGET = 5_000;
const SIMULATED_SECONDS = 30;
const SEATS = 50_000;
/** API requests a second of each signed-in user of the tenant (a page load, then a refresh every 10 s). */
const REQUESTS_PER_USER = 0.1;
const n = (x: number) => Math.round(x).toLocaleString('en');
/** A key as the layout comment in src/lib/db/keys.ts writes it: ids, hashes and times by name. */
const keyText = (c: Capture, key: { pk: string; sk: string }) =>
  `${key.pk
    .replace(c.tenantId, 't')
    .replace(c.userId, 'u')
    .replace(/#AUDIT#\d+$/, '#AUDIT#n')} / ${key.sk
    .replace(c.tenantId, 't')
    .replace(/^LOGIN#.*/, 'LOGIN#<sign-in hash>')
    .replace(/^SESSION#.*/, 'SESSION#<origin_jti>')
    .replace(/^\d{4}-.*#.*$/, '<at>#<eventId>')}`;

const SOURCES = [
  '[DynamoDB: warm throughput scenarios](https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/warm-throughput-scenarios.html) ("each individual partition is limited to 1,000 write units per second and 3,000 read units per second"; a new on-demand table starts at 12,000 read and 4,000 write units a second)',
  '[DynamoDB: read and write operations](https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html) (a transactional read of an item up to 4 KB takes two read units; a transactional write of an item up to 1 KB, two write units)',
  '[DynamoDB: pre-warming an on-demand table](https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/pre-warming-on-demand-capacity-mode.html) (4,000 writes and 12,000 reads a second for a new table; throttling can occur above twice the previous peak within 30 minutes)',
  '[DynamoDB: quotas](https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html) (on-demand, per table: 40,000 read and 40,000 write request units a second by default)',
  '[Amazon Cognito: quotas](https://docs.aws.amazon.com/cognito/latest/developerguide/quotas.html) (`UserAuthentication`: 120 requests a second by default per account and Region, adjustable; `RespondToAuthChallenge` has its own quota, three times that)',
];

export const run = async (): Promise<PartResult> => {
  const meta = runMeta();
  const config = await loadServiceConfig();
  const reserved = Number(
    (config.functions.postAuthentication as { reservedConcurrency?: unknown } | undefined)?.reservedConcurrency ?? 20,
  );
  const c = await captureSignIn();
  const [before, now] = [costs('before', c), costs('now', c)];
  const maxBefore = maxSignInsByPartition('before', c);
  const maxNow = maxSignInsByPartition('now', c);
  const tableMax = Math.floor(TABLE_QUOTA.wcu / now.signIn.wcu);
  const warmMax = Math.floor(NEW_TABLE_WARM.wcu / now.signIn.wcu);
  const authBefore = maxAuthMissesByPartition('before', c);
  const authNow = maxAuthMissesByPartition('now', c);
  const postMs = triggerMillis(c, 'postAuthentication');
  const preMs = triggerMillis(c, 'preTokenGeneration');
  const lambdaMax = Math.floor((reserved * 1000) / Math.max(postMs, preMs));

  const shared = new Set([...now.signIn.shared, ...now.auth.shared].map((p) => p.pk));
  const opRows = c.ops.map((op) => [
    op.phase,
    op.call,
    `\`${keyText(c, op.key)}\`${shared.has(op.key.pk) ? ' (shared by the tenant)' : ''}`,
    `${op.bytes} B`,
    op.mode,
    op.access,
  ]);
  const shardWcuPerSignIn = now.signIn.shared.reduce((sum, p) => sum + p.wcu, 0);
  const storm = RATES.map((rate) => {
    const oldWcu = busiestSharedWcu('before', c, rate).wcu;
    const simulated = simulateBusiestShard(c, rate, SIMULATED_SECONDS);
    const modelled = busiestShard(rate, AUDIT_SHARDS);
    const shardWcu = modelled * shardWcuPerSignIn;
    return [
      n(rate),
      `${n(oldWcu)} (${oldWcu <= PARTITION_WCU ? 'ok' : `**${(oldWcu / PARTITION_WCU).toFixed(1)}× the limit**`})`,
      `${simulated} / ${modelled}`,
      `${n(shardWcu)} (${shardWcu <= PARTITION_WCU ? 'ok' : '**over**'})`,
      `${n(rate * now.signIn.wcu)} / ${n(rate * now.signIn.rcu)}`,
      rate * now.signIn.wcu <= NEW_TABLE_WARM.wcu ? 'yes' : rate * now.signIn.wcu <= TABLE_QUOTA.wcu ? 'pre-warm' : '**quota**',
    ];
  });
  const apiMisses = SEATS * REQUESTS_PER_USER;

  const markdown = [
    `A model, not a load test: DynamoDB Local does not throttle. **Measured** from the real code: what one sign-in and one cold auth context read and write. The PostAuthentication and PreTokenGeneration handlers and \`readSessionState\` run in this process against an in-memory table behind a mocked document client, for a member made by the real membership writes; every item they touch is recorded with its key and its size as DynamoDB counts it (attribute names and values). **Modelled**: ${RATES.length} rates from ${n(RATES[0] ?? 0)} to ${n(RATES.at(-1) ?? 0)} sign-ins a second of one tenant, each sign-in by another user (a user's own partitions see one sign-in each), against the per-partition limits (${n(PARTITION_WCU)} write units, ${n(PARTITION_RCU)} read units a second; ${TRANSACTION_FACTOR}× for transactions). *Before* is the same calls with the two keys the code used until now: every event in \`TENANT#t#AUDIT\`, and the auth context reading the tenant's \`TENANT#t / MEMBER#u\`. *Now*: events in ${AUDIT_SHARDS} shards \`TENANT#t#AUDIT#n\` (n from the event id), the auth context reading the user's \`USER#u / MEMBERSHIP#t\`.`,
    '',
    'What one sign-in (both triggers) and one auth context miss touch, now:',
    '',
    table(['phase', 'call', 'item (pk / sk)', 'size', 'read', 'access'], opRows),
    '',
    `Per sign-in: ${now.signIn.wcu} write units (the event and its dedupe marker, ${TRANSACTION_FACTOR} each in one transaction) and ${now.signIn.rcu} read units (profile and active membership, strongly consistent, read by each trigger); per auth context miss: ${now.auth.rcu} read units (three items in one TransactGetItems). Of these, the tenant's partitions take: before, ${before.signIn.shared.reduce((s, p) => s + p.wcu, 0)} write units of every sign-in on \`TENANT#t#AUDIT\` and ${before.auth.shared.reduce((s, p) => s + p.rcu, 0)} read units of every miss on \`TENANT#t\`; now, the same ${now.signIn.shared.reduce((s, p) => s + p.wcu, 0)} write units on one of ${AUDIT_SHARDS} shards, and nothing of a miss.`,
    '',
    `**The storm.** Busiest shard: the most events one shard got in any second of ${SIMULATED_SECONDS} simulated seconds (each event keyed by the real \`auditKey\` with a fresh \`randomUUID\`) / the 99.9th percentile of a second's busiest shard (Poisson, shards taken as independent: both overstate it slightly).`,
    '',
    table(
      [
        'sign-ins/s',
        'before: `TENANT#t#AUDIT` WCU/s',
        'now: busiest shard, events/s (simulated / p99.9)',
        'now: busiest shard WCU/s (p99.9)',
        'now: table WCU/s / RCU/s',
        'within a new table (4,000 WCU/s)?',
      ],
      storm,
    ),
    '',
    `**Most audited sign-ins a second one tenant can sustain.** Before: **${n(maxBefore)}**, bound by the one audit partition (${n(PARTITION_WCU)} WCU/s at ${before.signIn.shared.reduce((s, p) => s + p.wcu, 0)} a sign-in): past it PostAuthentication is throttled, and a login is never left unaudited, so sign-ins fail. Now: the shards alone would take **${n(maxNow)}** (the busiest of ${AUDIT_SHARDS} at its limit at p99.9), so the tenant's partitions no longer bind; the table does first: its default on-demand quota (${n(TABLE_QUOTA.wcu)} write units a second, adjustable) is **${n(tableMax)}** sign-ins a second at ${now.signIn.wcu} each, for all tenants together. The target, ${n(TARGET)} a second of one tenant, uses ${n(TARGET * now.signIn.wcu)} write and ${n(TARGET * now.signIn.rcu)} read units a second of the table, and ${((busiestShard(TARGET, AUDIT_SHARDS) * shardWcuPerSignIn * 100) / PARTITION_WCU).toFixed(0)} % of the busiest shard's limit (p99.9).`,
    '',
    `**The auth context.** Before, every cache miss of a tenant read its \`TENANT#t\` partition (${before.auth.shared.reduce((s, p) => s + p.rcu, 0)} read units in a transaction), beside the tenant's own routes: at most **${n(authBefore)}** misses a second per tenant. With ${n(SEATS)} seats at ${REQUESTS_PER_USER} requests a second each once signed in, that tenant makes ${n(apiMisses)} requests a second, and with many warm containers (each caching a user for at most 4 s) nearly every one misses: ${n(apiMisses * 2)} read units a second on \`TENANT#t\`, ${((apiMisses * 2) / PARTITION_RCU).toFixed(1)}× its limit. Now the membership is read from the user's side, written in the same transaction as the tenant's (every path: joining, a role change, a removal), so a miss touches only the user's partitions${Number.isFinite(authNow) ? ` (yet ${n(authNow)} a second on a shared one)` : ''}; its ${now.auth.rcu} read units count against the table: ${n(apiMisses * now.auth.rcu)} a second for those ${n(apiMisses)} requests.`,
    '',
    `**Table-level limits** (the table is on-demand). A new table serves ${n(NEW_TABLE_WARM.wcu)} write and ${n(NEW_TABLE_WARM.rcu)} read units a second at once (${n(warmMax)} sign-ins a second here) and grows with its traffic, up to double its previous peak within 30 minutes; a storm bigger than the stage has seen needs the table pre-warmed: the stage param \`tableWarmThroughput\` sets its \`WarmThroughput\` (e.g. \`{ ReadUnitsPerSecond: ${TARGET * now.signIn.rcu + apiMisses * now.auth.rcu}, WriteUnitsPerSecond: ${TARGET * now.signIn.wcu} }\` for ${n(TARGET)} sign-ins a second plus the API load above; pre-warming is billed once, a day ahead). Beyond ${n(TABLE_QUOTA.wcu)} units a second of either kind, raise the table's quota in Service Quotas first.`,
    '',
    `**Outside the table.** Cognito: the \`UserAuthentication\` category (InitiateAuth, AdminInitiateAuth) allows ${COGNITO_USER_AUTHENTICATION_RPS} requests a second by default per account and Region, adjustable; an SRP sign-in is one InitiateAuth (its RespondToAuthChallenge has a quota of its own, three times that), and token refreshes through InitiateAuth count too. So by default Cognito binds at about ${COGNITO_USER_AUTHENTICATION_RPS} sign-ins a second, as the issue asks, far below the table. Lambda: each trigger has \`triggerReservedConcurrency\` = ${reserved} (serverless.yml), a cap as well as a reservation; at an *assumed* ${postMs} ms a PostAuthentication (${Object.entries(
      ASSUMED_MS,
    )
      .map(([k, v]) => `${k} ${v} ms`)
      .join(
        ', ',
      )}: in-region medians, not measured here) and ${preMs} ms a PreTokenGeneration, that is about **${n(lambdaMax)}** sign-ins a second. A stage whose Cognito quota is raised toward ${n(TARGET)} must raise it too: ${n(TARGET)} × ${postMs} ms ≈ ${Math.ceil((TARGET * postMs) / 1000)} concurrent PostAuthentications, so about ${Math.ceil((TARGET * postMs * 1.3) / 1000 / 10) * 10} with headroom, within the account's concurrency (4 triggers reserve it, and AWS keeps 100 unreserved).`,
    '',
    `Sources: ${SOURCES.join('; ')}.`,
  ].join('\n');

  return {
    part: 'storm',
    title: "One tenant's login storm",
    meta,
    command: commandOf('storm'),
    summary: [
      {
        figure: 'audited sign-ins/s of one tenant, audit log in one partition (before)',
        measured: `${n(maxBefore)} (the partition's ${n(PARTITION_WCU)} WCU/s)`,
        target: `≥ ${n(TARGET)}`,
        met: null,
      },
      {
        figure: `audited sign-ins/s of one tenant, ${AUDIT_SHARDS} audit shards (now)`,
        measured: `${n(Math.min(maxNow, tableMax))} (table quota ${n(TABLE_QUOTA.wcu)} WCU/s binds; the shards alone ${n(maxNow)})`,
        target: `≥ ${n(TARGET)}`,
        met: Math.min(maxNow, tableMax) >= TARGET,
      },
      {
        figure: "auth context misses/s of one tenant on the tenant's partition, before / now",
        measured: `${n(authBefore)} / ${Number.isFinite(authNow) ? n(authNow) : 'none: users’ partitions'}`,
        target: 'not bound by one partition',
        met: !Number.isFinite(authNow),
      },
      {
        figure: 'sign-ins/s outside the table at defaults: Cognito UserAuthentication / triggers (reserved concurrency)',
        measured: `${COGNITO_USER_AUTHENTICATION_RPS} / ~${n(lambdaMax)} (assumed ${postMs} ms)`,
        target: 'Cognito binds first',
        met: COGNITO_USER_AUTHENTICATION_RPS <= lambdaMax,
      },
    ],
    markdown,
  };
};
