import { api, must } from '../api';
import { type Member, ROLES } from '../api/types';
import type { Page } from '../router';
import { navigate } from '../router';
import { atLeast } from '../state';
import { dateTime, h, messages, select } from '../ui/dom';
import { pagedTable } from '../ui/table';

/** The active tenant's members; admins and owners change roles and remove members (the API enforces who may). */
export const membersPage: Page = {
  title: 'Members',
  access: 'viewer',
  render: async ({ me }) => {
    const tenantId = me?.tenantId ?? '';
    const manage = atLeast('admin', me);
    const table = await pagedTable<Member>(
      'Members of the active tenant',
      [
        { header: 'Email', cell: (m) => m.email },
        { header: 'Role', cell: (m) => (manage ? roleEditor(tenantId, m) : m.role) },
        { header: 'Joined', cell: (m) => dateTime(m.joinedAt) },
        ...(manage ? [{ header: 'Actions', cell: (m: Member) => removeButton(tenantId, m) }] : []),
      ],
      async (cursor) =>
        must(
          api().GET('/tenants/{tenantId}/members', { params: { path: { tenantId }, query: { limit: 25, ...(cursor ? { cursor } : {}) } } }),
        ),
    );
    return h('div', {}, table);
  },
};

const roleEditor = (tenantId: string, member: Member): HTMLElement => {
  const feedback = messages();
  const role = select(ROLES, member.role, { 'aria-label': `Role of ${member.email}` });
  const save = h('button', { type: 'button', class: 'secondary' }, 'Save role');
  save.addEventListener('click', () => {
    save.disabled = true;
    const next = role.value as Member['role'];
    must(
      api().PATCH('/tenants/{tenantId}/members/{userId}', { params: { path: { tenantId, userId: member.userId } }, body: { role: next } }),
    )
      .then(() => feedback.info(`${member.email} is now ${next}.`))
      .catch((err: unknown) => feedback.error(err))
      .finally(() => {
        save.disabled = false;
      });
  });
  save.setAttribute('aria-label', `Save role of ${member.email}`);
  return h('div', { class: 'row' }, role, save, ...feedback.nodes);
};

const removeButton = (tenantId: string, member: Member): HTMLElement => {
  const feedback = messages();
  const remove = h('button', { type: 'button', class: 'danger', 'aria-label': `Remove ${member.email}` }, 'Remove');
  remove.addEventListener('click', () => {
    if (!window.confirm(`Remove ${member.email} from this tenant? Their pending invites here are revoked too.`)) return;
    remove.disabled = true;
    must(api().DELETE('/tenants/{tenantId}/members/{userId}', { params: { path: { tenantId, userId: member.userId } } }))
      .then(() => navigate('/members', { replace: true }))
      .catch((err: unknown) => {
        remove.disabled = false;
        feedback.error(err);
      });
  });
  return h('div', {}, remove, ...feedback.nodes);
};
