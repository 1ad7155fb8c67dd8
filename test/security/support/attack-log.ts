import http from 'node:http';
import { stack } from '../../integration/support/stack';
import { writeSuiteReport } from './report';

export type HeaderLines = [name: string, value: string][];

export type Answer = {
  /** 0 when the server closed the connection without an answer. */
  status: number;
  header: (name: string) => string | undefined;
  text: string;
  body: unknown;
};

/**
 * One GET with exactly these header lines, in this order: fetch would join
 * duplicates and trim values itself. A server that drops the connection (an
 * oversize header) answers status 0 rather than failing the request.
 */
export const rawGet = (path: string, lines: HeaderLines): Promise<Answer> => {
  const url = new URL(path, stack.apiUrl);
  const headers = [['Host', url.host], ...lines].flat();
  return new Promise((resolve) => {
    let settled = false;
    const settle = (answer: Answer) => {
      if (settled) return;
      settled = true;
      resolve(answer);
    };
    const req = http.request(
      { host: url.hostname, port: url.port, method: 'GET', path: `${url.pathname}${url.search}`, headers },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () => {
          let body: unknown;
          try {
            body = text ? JSON.parse(text) : undefined;
          } catch {
            body = undefined;
          }
          const header = (name: string) => {
            const value = res.headers[name.toLowerCase()];
            return value === undefined ? undefined : String(value);
          };
          settle({ status: res.statusCode ?? 0, header, text, body });
        });
      },
    );
    req.on('error', () => settle({ status: 0, header: () => undefined, text: '', body: undefined }));
    req.end();
  });
};

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
