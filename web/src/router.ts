import { signOut } from 'aws-amplify/auth';
import { ApiError } from './api';
import type { Me, Role } from './api/types';
import { isSignedIn } from './auth/session';
import { atLeast, currentMe, forgetMe, loadMe } from './state';
import { h } from './ui/dom';
import { layout } from './ui/layout';

export type PageContext = { query: URLSearchParams; me: Me | undefined };
export type Page = {
  title: string;
  /** public: signed out; signed-in: any signed-in person; a role: at least that role in the active tenant. */
  access: 'public' | 'signed-in' | Role;
  render: (ctx: PageContext) => Node | Promise<Node>;
};

let routes: Record<string, Page> = {};
let rendering = 0;

export const startRouter = (table: Record<string, Page>): Promise<void> => {
  routes = table;
  window.addEventListener('popstate', () => void render());
  // Same-origin links move within the app: a full page load would drop the tokens, which live in memory only.
  document.addEventListener('click', (event) => {
    const link = (event.target as Element | null)?.closest?.('a');
    if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
    if (link.target || link.hasAttribute('download') || link.origin !== location.origin) return;
    event.preventDefault();
    void navigate(`${link.pathname}${link.search}`);
  });
  return render();
};

export const navigate = (to: string, { replace = false } = {}): Promise<void> => {
  if (replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  return render();
};

/** Signs out on this device and shows the sign-in page with a `reason` code (pages/sign-in.ts). */
export const endSession = async (reason: 'signed-out' | 'signed-out-everywhere' | 'session-ended'): Promise<void> => {
  await signOut().catch(() => {});
  forgetMe();
  await navigate(`/sign-in?${new URLSearchParams({ reason })}`, { replace: true });
};

const render = async (): Promise<void> => {
  const ticket = ++rendering;
  const page = routes[location.pathname] ?? notFound;
  const query = new URLSearchParams(location.search);
  try {
    const signedIn = await isSignedIn();
    if (page.access !== 'public' && !signedIn) {
      return navigate(`/sign-in?${new URLSearchParams({ next: `${location.pathname}${location.search}` })}`, { replace: true });
    }
    // Signing up or in again while signed in would only confuse the session held in memory.
    if (page.access === 'public' && signedIn) return navigate('/', { replace: true });
    const me = signedIn ? (currentMe() ?? (await loadMe())) : undefined;
    if (page.access !== 'public' && page.access !== 'signed-in' && !atLeast(page.access, me)) {
      return show(page.title, me, forbidden(page.access), ticket);
    }
    const content = await page.render({ query, me });
    // The page may have reloaded who is signed in (Home after a tenant switch): the banner shows that.
    show(page.title, currentMe(), content, ticket);
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return endSession('session-ended');
    show(page.title, currentMe(), h('p', { role: 'alert', class: 'error' }, err instanceof Error ? err.message : String(err)), ticket);
  }
};

const show = (title: string, me: Me | undefined, content: Node, ticket: number): void => {
  // A slower render of a page the person already left must not replace the current one.
  if (ticket !== rendering) return;
  document.title = `${title} · Tenantgate`;
  const app = document.getElementById('app');
  app?.replaceChildren(...layout(title, me, content));
  // Screen readers and keyboards start at the new page's heading, as after a page load.
  app?.querySelector<HTMLElement>('h1')?.focus();
};

const notFound: Page = {
  title: 'Not found',
  access: 'public',
  render: () => h('p', {}, 'There is no such page. ', h('a', { href: '/' }, 'Home')),
};

const forbidden = (role: Role): Node => h('p', {}, `This page is for ${role}s and above of the active tenant.`);
