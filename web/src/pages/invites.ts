import { api, must } from '../api';
import { type Invite, ROLES } from '../api/types';
import type { Page } from '../router';
import { navigate } from '../router';
import { dateTime, field, form, formText, h, input, messages, select } from '../ui/dom';
import { pagedTable } from '../ui/table';

/** Invite people to the active tenant (the API emails them the sign-up link) and revoke pending invites. */
export const invitesPage: Page = {
  title: 'Invites',
  access: 'admin',
  render: async ({ me }) => {
    const tenantId = me?.tenantId ?? '';
    const invite = form(
      { label: 'Invite someone' },
      [
        field('Email', input({ name: 'email', type: 'email', required: true, autocomplete: 'off' })),
        field('Role', select(ROLES, 'member', { name: 'role' })),
      ],
      'Send invite',
      async (data) => {
        const role = formText(data, 'role') as Invite['role'];
        await must(
          api().POST('/tenants/{tenantId}/invites', { params: { path: { tenantId } }, body: { email: formText(data, 'email'), role } }),
        );
        await navigate('/invites', { replace: true });
      },
    );
    const table = await pagedTable<Invite>(
      'Invites of the active tenant',
      [
        { header: 'Email', cell: (i) => i.email },
        { header: 'Role', cell: (i) => i.role },
        { header: 'Status', cell: (i) => i.status },
        { header: 'Expires', cell: (i) => dateTime(i.expiresAt) },
        { header: 'Actions', cell: (i) => (i.status === 'pending' ? revokeButton(tenantId, i) : '') },
      ],
      async (cursor) =>
        must(
          api().GET('/tenants/{tenantId}/invites', { params: { path: { tenantId }, query: { limit: 25, ...(cursor ? { cursor } : {}) } } }),
        ),
      'No invites yet.',
    );
    return h(
      'div',
      {},
      h('section', { 'aria-labelledby': 'new-invite' }, h('h2', { id: 'new-invite' }, 'Invite someone'), invite),
      h('section', { 'aria-labelledby': 'all-invites' }, h('h2', { id: 'all-invites' }, 'Invites'), table),
    );
  },
};

const revokeButton = (tenantId: string, invite: Invite): HTMLElement => {
  const feedback = messages();
  const revoke = h('button', { type: 'button', class: 'danger', 'aria-label': `Revoke the invite of ${invite.email}` }, 'Revoke');
  revoke.addEventListener('click', () => {
    revoke.disabled = true;
    must(api().DELETE('/tenants/{tenantId}/invites/{inviteId}', { params: { path: { tenantId, inviteId: invite.inviteId } } }))
      .then(() => navigate('/invites', { replace: true }))
      .catch((err: unknown) => {
        revoke.disabled = false;
        feedback.error(err);
      });
  });
  return h('div', {}, revoke, ...feedback.nodes);
};
