import { CompanySignInError, completeCompanySignIn } from '../auth/company-sign-in';
import type { Page } from '../router';
import { navigate } from '../router';
import { h } from '../ui/dom';
import { safeNext } from './sign-in';

/** One exchange per code, even if the page is rendered twice (a code is good once). */
let completing: { key: string; done: Promise<{ next: string }> } | undefined;

/**
 * Where the hosted login sends the browser back after the organization's
 * identity provider: the code is exchanged (auth/company-sign-in.ts), the
 * address bar loses it, and the person lands where they were going; or the
 * reason it failed is shown, with the way back to the sign-in page.
 */
export const authCallbackPage: Page = {
  title: 'Signing you in',
  access: 'public',
  render: async ({ query }) => {
    const key = query.toString();
    if (completing?.key !== key) completing = { key, done: completeCompanySignIn(query) };
    const { done } = completing;
    // The code and state are spent: off the address bar and the history.
    history.replaceState(null, '', '/auth/callback');
    let next: string;
    try {
      ({ next } = await done);
    } catch (err) {
      const message =
        err instanceof CompanySignInError ? err.message : `The sign-in could not be completed: ${err instanceof Error ? err.message : err}`;
      return h('div', {}, h('p', { role: 'alert', class: 'error' }, message), h('p', {}, h('a', { href: '/sign-in' }, 'Back to sign-in')));
    }
    // Signed in: the next page's render loads who this is (GET /me), as after any sign-in.
    await navigate(safeNext(next), { replace: true });
    return h('p', { role: 'status' }, 'Signed in.');
  },
};
