import type { AuditEventType } from '../../src/lib/audit/audit-event';

/**
 * What the load run saw, per route, and the audit events it should have left:
 * one `Mutation` per 2xx write (expected), and one per write whose answer
 * never came (unresolved: a timeout, or in flight when the run stopped), whose
 * event may or may not be there.
 */
export type Mutation = { type: AuditEventType; key: string };

export type RouteTally = {
  latencies: number[];
  statuses: Map<number, number>;
  /** 4xx the route may answer under load (409 on a concurrent change, 429 over the invite rate). */
  refused: number;
  unexpected4xx: number;
  serverErrors: number;
  /** Sent, no answer within autocannon's timeout. */
  timedOut: number;
  /** In flight when the run stopped: not an error. */
  cutOff: number;
  /** Problem titles and details of the non-2xx answers, counted. */
  problems: Map<string, number>;
  /** Sign-ins the client library failed, requests the client could not send or read. */
  failed: number;
};

const newTally = (): RouteTally => ({
  latencies: [],
  statuses: new Map(),
  refused: 0,
  unexpected4xx: 0,
  serverErrors: 0,
  timedOut: 0,
  cutOff: 0,
  problems: new Map(),
  failed: 0,
});

const bump = <K>(map: Map<K, number>, key: K) => map.set(key, (map.get(key) ?? 0) + 1);

/** `title: detail` of a problem+json body, or the start of whatever else came. */
const problemOf = (status: number, body: string): string => {
  try {
    const p = JSON.parse(body) as { title?: string; detail?: string };
    return `${status} ${p.title ?? ''}: ${p.detail ?? ''}`;
  } catch {
    return `${status} ${body.slice(0, 80)}`;
  }
};

export const SIGN_IN = 'sign-in (SRP)';

export class Ledger {
  readonly routes = new Map<string, RouteTally>();
  readonly expected: Mutation[] = [];
  readonly unresolved: Mutation[] = [];

  tally(route: string): RouteTally {
    let t = this.routes.get(route);
    if (!t) {
      t = newTally();
      this.routes.set(route, t);
    }
    return t;
  }

  /** One answer; a 2xx write adds its expected audit event. */
  answered(route: string, a: { status: number; ms: number; body: string; refusals: number[]; mutation?: Mutation | undefined }): void {
    const t = this.tally(route);
    t.latencies.push(a.ms);
    bump(t.statuses, a.status);
    if (a.status >= 200 && a.status < 300) {
      if (a.mutation) this.expected.push(a.mutation);
      return;
    }
    bump(t.problems, problemOf(a.status, a.body));
    if (a.status >= 500) t.serverErrors += 1;
    else if (a.refusals.includes(a.status)) t.refused += 1;
    else t.unexpected4xx += 1;
  }

  /** A request whose answer never came: its write may have landed or not. */
  unanswered(route: string, why: 'timedOut' | 'cutOff' | 'failed', mutation?: Mutation, error?: string): void {
    const t = this.tally(route);
    t[why] += 1;
    if (error) bump(t.problems, error);
    if (mutation) this.unresolved.push(mutation);
  }

  /** A sign-in that went through counts as a 200 of the route `sign-in (SRP)`. */
  signIn(ok: boolean, ms: number, userId: string, error?: string): void {
    const mutation: Mutation = { type: 'auth.login', key: userId };
    // A failed sign-in may have failed after PostAuthentication wrote its event.
    if (!ok) {
      this.unanswered(SIGN_IN, 'failed', mutation, error ?? 'failed');
      return;
    }
    const t = this.tally(SIGN_IN);
    t.latencies.push(ms);
    bump(t.statuses, 200);
    this.expected.push(mutation);
  }

  totals() {
    const all = [...this.routes.values()];
    const sum = (f: (t: RouteTally) => number) => all.reduce((n, t) => n + f(t), 0);
    return {
      answers: sum((t) => t.latencies.length),
      refused: sum((t) => t.refused),
      unexpected4xx: sum((t) => t.unexpected4xx),
      serverErrors: sum((t) => t.serverErrors),
      timedOut: sum((t) => t.timedOut),
      cutOff: sum((t) => t.cutOff),
      failed: sum((t) => t.failed),
    };
  }
}
