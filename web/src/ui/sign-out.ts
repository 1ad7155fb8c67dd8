import { api, must } from '../api';
import { endSession } from '../router';
import { h, messages } from './dom';

/**
 * Ends sessions at the API first, so every access token already handed out is
 * refused within 5 s, then forgets the tokens here. `all` also signs the person
 * out at Cognito everywhere (their refresh tokens die). If the API cannot be
 * reached nothing is forgotten, so the person can try again rather than
 * believe the other devices are signed out. (With `all` Cognito has already
 * ended the refresh token, so Amplify's own revocation of it may fail: the
 * local sign-out ignores that.)
 */
const end = async (scope: 'session' | 'all'): Promise<void> => {
  await must(api().POST('/sessions/revoke', { body: { scope } }));
  await endSession(scope === 'all' ? 'signed-out-everywhere' : 'signed-out');
};

export const signOutButtons = (): HTMLElement => {
  const feedback = messages();
  const button = (label: string, scope: 'session' | 'all') => {
    const b = h('button', { type: 'button', class: 'secondary' }, label);
    b.addEventListener('click', () => {
      b.disabled = true;
      feedback.info('Signing out…');
      end(scope)
        .catch((err: unknown) => feedback.error(err))
        .finally(() => {
          b.disabled = false;
        });
    });
    return b;
  };
  return h('div', { class: 'sign-out' }, button('Sign out', 'session'), button('Sign out everywhere', 'all'), ...feedback.nodes);
};
