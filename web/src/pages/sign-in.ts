import { confirmSignIn, type SignInOutput, signIn } from 'aws-amplify/auth';
import { discover } from '../api/sso';
import { startCompanySignIn } from '../auth/company-sign-in';
import type { Page } from '../router';
import { navigate } from '../router';
import { loadMe } from '../state';
import { field, form, formText, h, input, messages } from '../ui/dom';

/** Only a path of this app: `next` comes from the address bar, so never another origin (`//evil.test`). */
export const safeNext = (next: string | null): string => (next?.startsWith('/') && !next.startsWith('//') ? next : '/');

const CODE_STEPS: Partial<Record<SignInOutput['nextStep']['signInStep'], { label: string; hint: string }>> = {
  CONFIRM_SIGN_IN_WITH_TOTP_CODE: { label: 'Authenticator code', hint: 'The 6-digit code your authenticator app shows for Tenantgate.' },
  CONFIRM_SIGN_IN_WITH_EMAIL_CODE: { label: 'Code from your email', hint: 'We sent it to your email just now.' },
};

/** Why the person is here; a fixed text per code, so a crafted link cannot put words on this page. */
export const REASONS = {
  confirmed: 'Your email is confirmed. Sign in to continue.',
  'signed-out': 'You are signed out.',
  'signed-out-everywhere': 'You are signed out on every device.',
  'session-ended': 'Your session has ended. Please sign in again.',
} as const;
export type Reason = keyof typeof REASONS;

/**
 * Sign-in: the password by SRP (Amplify's default; the password never leaves
 * the browser), or a code by email (USER_AUTH, EMAIL_OTP) or a passkey
 * (WEB_AUTHN) where the stage offers them; then the TOTP code when the person
 * has set one up (a passkey with passkey MFA on needs none). Or with the
 * company account: the API's discovery says whether the email's organization
 * has its own identity provider, and the browser goes there (auth/company-sign-in.ts).
 */
export const signInPage: Page = {
  title: 'Sign in',
  access: 'public',
  render: ({ query }) => {
    const container = h('div', {});
    const next = safeNext(query.get('next'));
    const reason = REASONS[query.get('reason') as Reason] as string | undefined;

    const finish = async (output: SignInOutput): Promise<void> => {
      const step = output.nextStep.signInStep;
      if (step === 'DONE') {
        await loadMe();
        return navigate(next, { replace: true });
      }
      if (step === 'CONFIRM_SIGN_UP') return navigate(`/confirm?${new URLSearchParams({ email: email.value.trim() })}`);
      const code = CODE_STEPS[step];
      if (!code) throw new Error(`This sign-in step is not supported here yet (${step}).`);
      container.replaceChildren(
        form(
          { label: 'Second sign-in step' },
          [
            field(
              code.label,
              input({ name: 'code', inputmode: 'numeric', autocomplete: 'one-time-code', required: true, autofocus: true }),
              code.hint,
            ),
          ],
          'Continue',
          async (data) => finish(await confirmSignIn({ challengeResponse: formText(data, 'code') })),
        ),
      );
      container.querySelector('input')?.focus();
    };

    const email = input({ name: 'email', type: 'email', autocomplete: 'username', required: true, value: query.get('email') ?? '' });
    const emailCodeFeedback = messages();
    const emailCode = h('button', { type: 'button', class: 'secondary' }, 'Email me a sign-in code instead');
    emailCode.addEventListener('click', () => {
      if (!email.reportValidity()) return;
      emailCodeFeedback.info('Sending a code…');
      signIn({ username: email.value.trim(), options: { authFlowType: 'USER_AUTH', preferredChallenge: 'EMAIL_OTP' } })
        .then(finish)
        .catch((err: unknown) => emailCodeFeedback.error(err));
    });

    const passkeyFeedback = messages();
    const passkey = h('button', { type: 'button', class: 'secondary' }, 'Sign in with a passkey');
    passkey.addEventListener('click', () => {
      if (!email.reportValidity()) return;
      passkeyFeedback.info('Follow your browser’s prompt…');
      signIn({ username: email.value.trim(), options: { authFlowType: 'USER_AUTH', preferredChallenge: 'WEB_AUTHN' } })
        .then(finish)
        .catch((err: unknown) => passkeyFeedback.error(err));
    });

    container.append(
      form(
        { label: 'Sign in with your password' },
        [
          field('Email', email),
          field('Password', input({ name: 'password', type: 'password', autocomplete: 'current-password', required: true })),
        ],
        'Sign in',
        async (data) => finish(await signIn({ username: formText(data, 'email'), password: String(data.get('password') ?? '') })),
      ),
      h('div', { class: 'alternative' }, emailCode, ...emailCodeFeedback.nodes),
      h('div', { class: 'alternative' }, passkey, ...passkeyFeedback.nodes),
      companySection(next, email),
    );
    return h('div', {}, reason ? h('p', { role: 'status', class: 'notice' }, reason) : null, container);
  },
};

/**
 * Discovery first: an organization with SSO sends the person to its identity
 * provider; one without is told so, and the methods above stay (the answer has
 * the same shape for every domain, so it tells nobody which are customers).
 */
const companySection = (next: string, passwordEmail: HTMLInputElement): HTMLElement => {
  const feedback = messages();
  const companyForm = form(
    { label: 'Sign in with your company account' },
    [
      field(
        'Work email',
        input({ name: 'workEmail', type: 'email', autocomplete: 'username', required: true }),
        'If your organization signs you in with its own account, we take you there.',
      ),
    ],
    'Continue with your company account',
    async (data) => {
      const workEmail = formText(data, 'workEmail');
      feedback.info('Looking up your organization…');
      const found = await discover(workEmail);
      if (!found.sso) {
        passwordEmail.value ||= workEmail;
        feedback.info(
          'Your organization has not set up sign-in with its company account. Sign in above with your password, an email code or a passkey.',
        );
        return;
      }
      feedback.info('Taking you to your organization’s sign-in…');
      await startCompanySignIn(found.authorizeUrl, next);
    },
    feedback,
  );
  return h(
    'section',
    { class: 'company', 'aria-labelledby': 'company-heading' },
    h('h2', { id: 'company-heading' }, 'Sign in with your company account'),
    companyForm,
  );
};
