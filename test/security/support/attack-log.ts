import { type HeaderLines, type RawAnswer, sendRaw } from '../../integration/support/raw-http';
import { writeSuiteReport } from './report';

export type { HeaderLines };

export type Answer = RawAnswer;

/**
 * One GET with exactly these header lines, in this order: fetch would join
 * duplicates and trim values itself. A server that drops the connection (an
 * oversize header) answers status 0 rather than failing the request.
 */
export const rawGet = (path: string, lines: HeaderLines): Promise<Answer> =>
  sendRaw({ method: 'GET', path, headers: lines }, { dropped: 'answer' });

/** A forged token must be refused; a genuine one (the control) and a pool-signed oddity are reported apart. */
export type Kind = 'forged' | 'genuine' | 'pool-signed';

/**
 * Counts what the suite sent and what came back, for `.local/reports/security/token-attacks.json`.
 * The tests assert the invariants themselves; this only records them.
 */
export const createAttackLog = () => {
  const totals = { cases: 0, refused: 0, accepted: 0, serverErrors: 0, leaks: 0 };
  const breakdown: Record<string, number> = {};
  const secrets: string[] = [];

  return {
    totals,
    /** Values no answer to a forged token may contain: user ids, emails, tenant ids. */
    watchFor: (...values: string[]) => {
      secrets.push(...values);
    },
    record: (family: string, kind: Kind, answer: Answer) => {
      totals.cases += 1;
      breakdown[family] = (breakdown[family] ?? 0) + 1;
      if (answer.status >= 500) totals.serverErrors += 1;
      if (kind !== 'forged') return;
      if (answer.status >= 200 && answer.status < 300) totals.accepted += 1;
      else if (answer.status === 0 || (answer.status >= 400 && answer.status < 500)) totals.refused += 1;
      if (secrets.some((secret) => answer.text.includes(secret))) totals.leaks += 1;
    },
    write: (title: string) => writeSuiteReport({ suite: 'token-attacks', title, ...totals, breakdown }),
  };
};
