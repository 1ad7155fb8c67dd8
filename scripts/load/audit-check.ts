import { setTimeout as sleep } from 'node:timers/promises';
import type { AuditEvent } from '../../src/lib/audit/audit-event';
import type { Mutation } from './ledger';

/**
 * Reads every tenant's audit log through the product's own listing
 * (listAuditEvents, page by page, as `GET /tenants/{id}/audit` does) and holds
 * it against the mutations the run made: each event is matched to its request
 * by what made the request unique (the invite's email or id, the new name,
 * the session, the user who signed in).
 */
export type TypeCheck = {
  type: string;
  expected: number;
  found: number;
  /** Events of writes whose answer never came (timeouts, cut off at the end): allowed, not required. */
  landedUnanswered: number;
  /** Expected, not found. */
  lost: number;
  /** Found beyond one per request (or for no request of the run at all). */
  duplicated: number;
};

const keyOf = (e: AuditEvent): string => {
  const details = e.details as { to?: unknown; email?: unknown };
  switch (e.type) {
    case 'tenant.updated':
      return `${e.targetId}|${String(details.to)}`;
    case 'invite.created':
      return String(details.email);
    case 'auth.login':
      return e.actorId;
    default:
      return String(e.targetId);
  }
};

const PAGE = 100;

/** One tenant's whole audit log, newest first, through the cursor the API hands out. */
const allEventsOf = async (tenantId: string): Promise<AuditEvent[]> => {
  const { listAuditEvents } = await import('../../src/lib/audit/audit-query');
  const events: AuditEvent[] = [];
  let cursor: string | undefined;
  do {
    const page = await listAuditEvents(tenantId, { limit: PAGE, ...(cursor ? { cursor } : {}) });
    events.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return events;
};

/** The events written since the load began, once writes still under way when it stopped have landed (the count holds still). */
export const readLoadEvents = async (tenantIds: string[], since: string): Promise<AuditEvent[]> => {
  const read = async () => (await Promise.all(tenantIds.map(allEventsOf))).flat().filter((e) => e.at >= since);
  let last = await read();
  for (let i = 0; i < 5; i += 1) {
    await sleep(2000);
    const now = await read();
    if (now.length === last.length) return now;
    last = now;
  }
  return last;
};

const countBy = <T>(items: T[], key: (item: T) => string): Map<string, number> => {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
};

export const checkAudit = (events: AuditEvent[], expected: Mutation[], unresolved: Mutation[]): TypeCheck[] => {
  const types = [...new Set([...expected.map((m) => m.type), ...events.map((e) => e.type)])].sort();
  return types.map((type) => {
    const want = countBy(
      expected.filter((m) => m.type === type),
      (m) => m.key,
    );
    const maybe = countBy(
      unresolved.filter((m) => m.type === type),
      (m) => m.key,
    );
    const found = countBy(
      events.filter((e) => e.type === type),
      keyOf,
    );
    const check: TypeCheck = { type, expected: 0, found: 0, landedUnanswered: 0, lost: 0, duplicated: 0 };
    for (const key of new Set([...want.keys(), ...found.keys()])) {
      const e = want.get(key) ?? 0;
      const f = found.get(key) ?? 0;
      const extra = Math.max(0, f - e);
      const landed = Math.min(extra, maybe.get(key) ?? 0);
      check.expected += e;
      check.found += f;
      check.lost += Math.max(0, e - f);
      check.landedUnanswered += landed;
      check.duplicated += extra - landed;
    }
    return check;
  });
};
