import { writeSuiteReport } from '../../test/security/support/report';
import type { TypeCheck } from './audit-check';
import { type Ledger, type RouteTally, SIGN_IN } from './ledger';
import { WARM_UP } from './warm-up';

/** What the run measured, its verdict, the terminal summary and `.local/reports/security/load.json`. */
export type RunFacts = { durationSeconds: number; connections: number; tenants: number; connectionErrors: number };

const percentile = (sorted: number[], p: number): number =>
  sorted.length ? (sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0) : 0;

const sentOf = (t: RouteTally) => t.latencies.length + t.timedOut + t.cutOff + t.failed;
const countOf = (t: RouteTally, from: number, to: number) =>
  [...t.statuses].filter(([status]) => status >= from && status < to).reduce((n, [, count]) => n + count, 0);

const table = (head: string[], rows: (string | number)[][]): string => {
  const cells = [head, ...rows].map((r) => r.map(String));
  const widths = head.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  return [line(cells[0] ?? []), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
};

export const verdictOf = (ledger: Ledger, audit: TypeCheck[], facts: RunFacts) => {
  const totals = ledger.totals();
  const lost = audit.reduce((n, c) => n + c.lost, 0);
  const duplicated = audit.reduce((n, c) => n + c.duplicated, 0);
  const problems = [
    totals.serverErrors && `${totals.serverErrors} answers with a 5xx`,
    lost && `${lost} audit events lost`,
    duplicated && `${duplicated} audit events duplicated or without a request`,
    totals.timedOut && `${totals.timedOut} requests timed out`,
    totals.unexpected4xx && `${totals.unexpected4xx} unexpected 4xx answers`,
    totals.failed && `${totals.failed} sign-ins or requests failed`,
    facts.connectionErrors && `${facts.connectionErrors} connection errors`,
  ].filter((p): p is string => Boolean(p));
  return { totals, lost, duplicated, problems };
};

const sumOf = (tallies: RouteTally[], f: (t: RouteTally) => number) => tallies.reduce((n, t) => n + f(t), 0);

/** The load's own requests and sign-ins (not the warm-up), per second of the run. */
const loadRate = (ledger: Ledger, facts: RunFacts) =>
  sumOf(
    [...ledger.routes].filter(([route]) => route !== WARM_UP).map(([, t]) => t),
    sentOf,
  ) / facts.durationSeconds;

const rowOf = (route: string, t: RouteTally, rate: string): (string | number)[] => {
  const sorted = [...t.latencies].sort((a, b) => a - b);
  return [
    route,
    sentOf(t),
    rate,
    `${percentile(sorted, 50).toFixed(0)} ms`,
    `${percentile(sorted, 99).toFixed(0)} ms`,
    countOf(t, 200, 300),
    t.refused,
    t.unexpected4xx,
    t.serverErrors,
    t.timedOut,
    t.cutOff,
    t.failed,
  ];
};

/** Every tally of `tallies` as one, for the total row. */
const merged = (tallies: RouteTally[]): RouteTally => ({
  latencies: tallies.flatMap((t) => t.latencies),
  statuses: new Map(
    tallies.flatMap((t) => [...t.statuses]).reduce((m, [s, n]) => m.set(s, (m.get(s) ?? 0) + n), new Map<number, number>()),
  ),
  refused: sumOf(tallies, (t) => t.refused),
  unexpected4xx: sumOf(tallies, (t) => t.unexpected4xx),
  serverErrors: sumOf(tallies, (t) => t.serverErrors),
  timedOut: sumOf(tallies, (t) => t.timedOut),
  cutOff: sumOf(tallies, (t) => t.cutOff),
  problems: new Map(),
  failed: sumOf(tallies, (t) => t.failed),
});

export const renderSummary = (ledger: Ledger, audit: TypeCheck[], facts: RunFacts): string => {
  const { problems } = verdictOf(ledger, audit, facts);
  const order = (route: string) => (route === WARM_UP ? 2 : route === SIGN_IN ? 1 : 0);
  const routes = [...ledger.routes].sort(([a], [b]) => order(a) - order(b) || a.localeCompare(b));
  const load = routes.filter(([route]) => route !== WARM_UP);
  const warm = ledger.routes.get(WARM_UP);
  const perSecond = (t: RouteTally) => (sentOf(t) / facts.durationSeconds).toFixed(1);
  const head = ['route', 'requests', 'req/s', 'p50', 'p99', '2xx', '4xx expected', '4xx other', '5xx', 'timeouts', 'cut off', 'failed'];
  const total = merged(load.map(([, t]) => t));
  const answers = routes.flatMap(([route, t]) => [...t.problems].map(([problem, n]) => `  ${route}: ${n} × ${problem}`));
  const auditRows = audit.map((c) => [c.type, c.expected, c.found, c.landedUnanswered, c.lost, c.duplicated]);
  return [
    `${facts.connections} connections for ${facts.durationSeconds} s across ${facts.tenants} tenants, with sign-ins beside them:`,
    `${sentOf(total)} requests and sign-ins, ${loadRate(ledger, facts).toFixed(1)} per second (sign-ins count as 200).`,
    '',
    table(head, [
      ...load.map(([route, t]) => rowOf(route, t, perSecond(t))),
      rowOf('total', total, perSecond(total)),
      ...(warm ? [rowOf(WARM_UP, warm, '–')] : []),
    ]),
    '',
    answers.length ? `Answers other than 2xx, and failures:\n${answers.join('\n')}` : 'Every answer was a 2xx.',
    '',
    'Audit events written during the load, against the mutations and sign-ins that succeeded:',
    table(['type', 'expected', 'found', 'of unanswered', 'lost', 'duplicated'], auditRows),
    '',
    problems.length ? `FAILED: ${problems.join('; ')}.` : 'PASSED: no 5xx, no timeouts, exactly one audit event per mutation and sign-in.',
  ].join('\n');
};

export const writeLoadReport = (ledger: Ledger, audit: TypeCheck[], facts: RunFacts): void => {
  const { totals, lost, duplicated } = verdictOf(ledger, audit, facts);
  const sent = totals.answers + totals.timedOut + totals.cutOff + totals.failed;
  const breakdown: Record<string, number> = {
    durationSeconds: facts.durationSeconds,
    connections: facts.connections,
    tenants: facts.tenants,
    requestsPerSecond: Number(loadRate(ledger, facts).toFixed(1)),
    signIns: ledger.routes.get(SIGN_IN)?.latencies.length ?? 0,
    timeouts: totals.timedOut,
    cutOffAtEnd: totals.cutOff,
    unexpected4xx: totals.unexpected4xx,
    failed: totals.failed,
    connectionErrors: facts.connectionErrors,
  };
  for (const [route, t] of ledger.routes) breakdown[`requests ${route}`] = sentOf(t);
  for (const c of audit) {
    breakdown[`audit ${c.type} expected`] = c.expected;
    breakdown[`audit ${c.type} found`] = c.found;
  }
  writeSuiteReport({
    suite: 'load',
    title: `Load: ${facts.connections} connections for ${facts.durationSeconds} s over reads, writes and sign-ins: no 5xx, one audit event per mutation and sign-in`,
    cases: sent,
    refused: totals.refused,
    accepted: 0,
    serverErrors: totals.serverErrors,
    leaks: lost + duplicated,
    breakdown,
  });
};
