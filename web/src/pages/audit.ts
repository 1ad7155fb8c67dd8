import { api, must } from '../api';
import type { AuditEvent } from '../api/types';
import type { Page } from '../router';
import { navigate } from '../router';
import { dateTime, field, form, formText, h, input } from '../ui/dom';
import { pagedTable } from '../ui/table';

/** `datetime-local` speaks the browser's local time without a zone; the API takes ISO instants. */
const toIso = (local: string): string | undefined => (local ? new Date(local).toISOString() : undefined);
const toLocalInput = (iso: string | null): string => {
  if (!iso || Number.isNaN(Date.parse(iso))) return '';
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
};

const details = (d: Record<string, unknown>): string =>
  Object.entries(d)
    .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(', ');

/** The active tenant's audit log, newest first, between two times (kept in the address, so a view can be shared). */
export const auditPage: Page = {
  title: 'Audit log',
  access: 'admin',
  render: async ({ me, query }) => {
    const tenantId = me?.tenantId ?? '';
    const from = query.get('from') ?? undefined;
    const to = query.get('to') ?? undefined;
    const filters = form(
      { label: 'Filter the audit log', class: 'inline' },
      [
        field('From', input({ name: 'from', type: 'datetime-local', value: toLocalInput(from ?? null) })),
        field('To', input({ name: 'to', type: 'datetime-local', value: toLocalInput(to ?? null) })),
      ],
      'Apply',
      async (data) => {
        const params = new URLSearchParams();
        const [f, t] = [toIso(formText(data, 'from')), toIso(formText(data, 'to'))];
        if (f) params.set('from', f);
        // The minute picked is meant whole: up to its last millisecond.
        if (t) params.set('to', new Date(Date.parse(t) + 59_999).toISOString());
        await navigate(`/audit${params.size ? `?${params}` : ''}`);
      },
    );
    const actor = (id: string) => (id === me?.userId ? `you (${me.email ?? id})` : id);
    const table = await pagedTable<AuditEvent>(
      'Audit events, newest first',
      [
        { header: 'Time', cell: (e) => dateTime(e.at) },
        { header: 'Event', cell: (e) => h('code', {}, e.type) },
        { header: 'Actor', cell: (e) => actor(e.actorId) },
        { header: 'Target', cell: (e) => e.targetId ?? '' },
        { header: 'Details', cell: (e) => details(e.details) },
        { header: 'From', cell: (e) => [e.ip, e.userAgent].filter(Boolean).join(' · ') },
      ],
      async (cursor) =>
        must(
          api().GET('/tenants/{tenantId}/audit', {
            params: {
              path: { tenantId },
              query: { limit: 25, ...(from ? { from } : {}), ...(to ? { to } : {}), ...(cursor ? { cursor } : {}) },
            },
          }),
        ),
      'No events in this period.',
    );
    return h('div', {}, filters, table);
  },
};
