import { api, must } from '../api';
import type { Me } from '../api/types';
import { refreshTokens } from '../auth/session';
import type { Page } from '../router';
import { navigate } from '../router';
import { loadMe } from '../state';
import { dateTime, field, form, formText, h, messages, select } from '../ui/dom';

/** Who you are (GET /me), which tenant is active and the switch to another, and invites to more tenants. */
export const homePage: Page = {
  title: 'Home',
  access: 'signed-in',
  render: async () => {
    const me = await loadMe();
    const invites = await must(api().GET('/me/invites', { params: { query: { limit: 100 } } }));
    return h(
      'div',
      {},
      profile(me),
      me.memberships.length > 1 ? tenantSwitcher(me) : null,
      invites.items.length > 0
        ? h(
            'section',
            { 'aria-labelledby': 'invites-heading' },
            h('h2', { id: 'invites-heading' }, 'Invites for you'),
            h(
              'ul',
              { class: 'plain' },
              ...invites.items.map((i) => h('li', {}, acceptButton(i.inviteId, `${i.tenantName} as ${i.role}`, i.expiresAt))),
            ),
          )
        : null,
    );
  },
};

const profile = (me: Me): HTMLElement => {
  const active = me.memberships.find((m) => m.tenantId === me.tenantId);
  return h(
    'section',
    { 'aria-labelledby': 'me-heading' },
    h('h2', { id: 'me-heading' }, 'You'),
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, 'Email'),
      h('dd', {}, me.email ?? '—'),
      h('dt', {}, 'Active tenant'),
      h('dd', {}, active ? active.tenantName : 'none'),
      h('dt', {}, 'Role'),
      h('dd', {}, me.role ?? '—'),
      h('dt', {}, 'Tenants'),
      h('dd', {}, String(me.memberships.length)),
    ),
  );
};

/** PUT /me/active-tenant, then new tokens: their tenant claims are what every route checks. */
const tenantSwitcher = (me: Me): HTMLElement =>
  h(
    'section',
    { 'aria-labelledby': 'switch-heading' },
    h('h2', { id: 'switch-heading' }, 'Switch tenant'),
    form(
      { label: 'Switch tenant' },
      [
        field(
          'Tenant',
          select(
            me.memberships.map((m) => ({ value: m.tenantId, label: `${m.tenantName} (${m.role})` })),
            me.tenantId ?? undefined,
            { name: 'tenantId' },
          ),
        ),
      ],
      'Switch',
      async (data) => {
        await must(api().PUT('/me/active-tenant', { body: { tenantId: formText(data, 'tenantId') } }));
        await refreshTokens();
        await navigate('/', { replace: true });
      },
    ),
  );

const acceptButton = (inviteId: string, what: string, expiresAt: string): HTMLElement => {
  const feedback = messages();
  const button = h('button', { type: 'button', 'aria-label': `Accept the invite to ${what}` }, 'Accept');
  button.addEventListener('click', () => {
    button.disabled = true;
    must(api().POST('/me/invites/{inviteId}/accept', { params: { path: { inviteId } } }))
      .then(() => navigate('/', { replace: true }))
      .catch((err: unknown) => {
        button.disabled = false;
        feedback.error(err);
      });
  });
  return h('div', { class: 'row' }, h('span', {}, `${what}, open until ${dateTime(expiresAt)} `), button, ...feedback.nodes);
};
