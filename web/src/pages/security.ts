import {
  associateWebAuthnCredential,
  deleteWebAuthnCredential,
  fetchMFAPreference,
  listWebAuthnCredentials,
  setUpTOTP,
  updateMFAPreference,
  verifyTOTPSetup,
} from 'aws-amplify/auth';
import { renderSVG } from 'uqr';
import { enablePasskeyMfa, isFederated } from '../auth/session';
import type { Page } from '../router';
import { dateTime, field, form, formText, h, input, messages } from '../ui/dom';

const APP_NAME = 'Tenantgate';

/**
 * Two-step sign-in with an authenticator app (TOTP): a QR code of the
 * `otpauth://` URI, the secret for typing in, then one code to prove it works.
 * From then on sign-in asks for a code after the password.
 */
export const securityPage: Page = {
  title: 'Security',
  access: 'signed-in',
  render: async ({ me }) => {
    // A company account has no password, authenticator app or passkey here: its provider decides how it signs in.
    if (await isFederated()) {
      return h(
        'p',
        { class: 'notice' },
        'You sign in with your company account: your organization’s identity provider manages your password and second sign-in step.',
      );
    }
    const section = h('section', { 'aria-labelledby': 'totp-heading' }, h('h2', { id: 'totp-heading' }, 'Authenticator app'));
    const preference = await fetchMFAPreference();
    if (preference.enabled?.includes('TOTP')) {
      section.append(h('p', { class: 'notice' }, 'Sign-in asks for a code from your authenticator app after your password.'));
    } else {
      const start = h('button', { type: 'button' }, 'Set up an authenticator app');
      start.addEventListener('click', async () => {
        start.disabled = true;
        try {
          const setup = await setUpTOTP();
          start.replaceWith(setupSteps(setup.sharedSecret, setup.getSetupUri(APP_NAME, me?.email ?? undefined).toString(), section));
        } catch (err) {
          start.disabled = false;
          section.append(h('p', { role: 'alert', class: 'error' }, err instanceof Error ? err.message : String(err)));
        }
      });
      section.append(h('p', {}, 'Add a second step to your sign-in: a code from an authenticator app on your phone.'), start);
    }
    return h('div', {}, section, await passkeysSection(preference.enabled?.includes('TOTP') ?? false));
  },
};

const setupSteps = (secret: string, uri: string, section: HTMLElement): HTMLElement => {
  // uqr draws the QR code as SVG markup from the URI alone; no text of the user's becomes markup here.
  const qr = h('div', { class: 'qr', role: 'img', 'aria-label': 'QR code to scan with your authenticator app' });
  qr.innerHTML = renderSVG(uri, { ecc: 'M', border: 2 });
  return h(
    'div',
    { class: 'totp-setup' },
    h(
      'ol',
      {},
      h('li', {}, 'Scan the QR code with your authenticator app, or type in the secret key.'),
      h('li', {}, 'Enter the code it shows.'),
    ),
    qr,
    h('p', {}, 'Secret key: ', h('code', { class: 'secret', 'data-testid': 'totp-secret' }, secret)),
    form(
      { label: 'Verify your authenticator app' },
      [
        field(
          'Code from the app',
          input({ name: 'code', inputmode: 'numeric', autocomplete: 'one-time-code', required: true, pattern: '[0-9]{6}' }),
        ),
      ],
      'Verify and turn on',
      async (data) => {
        await verifyTOTPSetup({ code: formText(data, 'code') });
        await updateMFAPreference({ totp: 'PREFERRED' });
        section.replaceChildren(
          h('h2', { id: 'totp-heading' }, 'Authenticator app'),
          h('p', { role: 'status', class: 'notice' }, 'Your authenticator app is set up: sign-in asks for its code from now on.'),
        );
      },
    ),
  );
};

/**
 * Passkeys: register one on this device (the browser asks for the fingerprint,
 * face or PIN), list and remove them. With an authenticator app set up, the
 * passkey also becomes the second step (passkey MFA), so it signs in alone.
 */
const passkeysSection = async (hasTotp: boolean): Promise<HTMLElement> => {
  const section = h('section', { 'aria-labelledby': 'passkeys-heading' });
  const feedback = messages();
  const render = async () => {
    const { credentials } = await listWebAuthnCredentials();
    const list = h(
      'ul',
      { class: 'passkeys' },
      ...credentials.map((c) => {
        const remove = h(
          'button',
          { type: 'button', class: 'secondary', 'aria-label': `Remove the passkey ${c.friendlyCredentialName ?? c.credentialId}` },
          'Remove',
        );
        remove.addEventListener('click', async () => {
          remove.disabled = true;
          await deleteWebAuthnCredential({ credentialId: c.credentialId ?? '' }).catch(feedback.error);
          await render();
        });
        return h(
          'li',
          {},
          `${c.friendlyCredentialName ?? 'Passkey'} (${c.createdAt ? dateTime(c.createdAt.toISOString()) : 'registered'}) `,
          remove,
        );
      }),
    );
    const register = h('button', { type: 'button' }, 'Register a passkey');
    register.addEventListener('click', async () => {
      register.disabled = true;
      feedback.info('Follow your browser’s prompt…');
      try {
        await associateWebAuthnCredential();
        if (hasTotp) await enablePasskeyMfa();
        await render();
        feedback.info(hasTotp ? 'Passkey registered: it signs you in on its own, as your second step too.' : 'Passkey registered.');
      } catch (err) {
        register.disabled = false;
        feedback.error(err);
      }
    });
    section.replaceChildren(
      h('h2', { id: 'passkeys-heading' }, 'Passkeys'),
      h('p', {}, credentials.length ? 'Your passkeys:' : 'Sign in with your fingerprint, face or device PIN instead of a password.'),
      list,
      register,
      ...feedback.nodes,
    );
  };
  await render().catch((err: unknown) =>
    section.replaceChildren(
      h('h2', { id: 'passkeys-heading' }, 'Passkeys'),
      h('p', { role: 'alert', class: 'error' }, err instanceof Error ? err.message : String(err)),
    ),
  );
  return section;
};
