import type { Me, Role } from '../api/types';
import { atLeast } from '../state';
import { h } from './dom';
import { signOutButtons } from './sign-out';

const NAV: { href: string; label: string; role?: Role }[] = [
  { href: '/', label: 'Home' },
  { href: '/files', label: 'Files' },
  { href: '/members', label: 'Members' },
  { href: '/invites', label: 'Invites', role: 'admin' },
  { href: '/audit', label: 'Audit log', role: 'admin' },
  { href: '/sso', label: 'SSO', role: 'owner' },
  { href: '/security', label: 'Security' },
];

/** The page frame: a banner with the navigation when signed in, and the page under its one h1. */
export const layout = (title: string, me: Me | undefined, content: Node): Node[] => {
  const tenant = me?.memberships.find((m) => m.tenantId === me.tenantId);
  const banner = h(
    'header',
    { class: 'banner' },
    h('a', { class: 'brand', href: '/' }, 'Tenantgate'),
    me
      ? h(
          'nav',
          { 'aria-label': 'Main' },
          h(
            'ul',
            {},
            ...NAV.filter((item) => !item.role || atLeast(item.role, me)).map((item) =>
              h('li', {}, h('a', { href: item.href, 'aria-current': location.pathname === item.href ? 'page' : undefined }, item.label)),
            ),
          ),
        )
      : null,
    me
      ? h(
          'div',
          { class: 'who' },
          h('span', {}, me.email ?? me.userId),
          tenant ? h('span', {}, ` · ${tenant.tenantName} (${tenant.role})`) : null,
          signOutButtons(),
        )
      : null,
  );
  const main = h('main', { id: 'main', tabindex: -1 }, h('h1', { tabindex: -1 }, title), content);
  return [banner, main];
};
