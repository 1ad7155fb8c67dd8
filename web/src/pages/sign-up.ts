import { signUp } from 'aws-amplify/auth';
import type { Page } from '../router';
import { navigate } from '../router';
import { field, form, formText, h, input } from '../ui/dom';

/**
 * Sign-up from the invite link (`/sign-up?email=…&invite=…&invite_code=…`):
 * email and invite code prefilled. Cognito's PreSignUp checks the code
 * (ValidationData `invite_code`) against the pending invite for that email.
 */
export const signUpPage: Page = {
  title: 'Create your account',
  access: 'public',
  render: ({ query }) => {
    const email = query.get('email') ?? '';
    const code = query.get('invite_code') ?? '';
    // The code is a secret: off the address bar and the history once it is in the form.
    if (code) history.replaceState(null, '', `/sign-up?${new URLSearchParams({ email })}`);
    return h(
      'div',
      {},
      h('p', {}, 'You were invited to Tenantgate. Choose a password to accept the invite.'),
      form(
        { label: 'Create your account' },
        [
          field('Email', input({ name: 'email', type: 'email', autocomplete: 'username', required: true, value: email })),
          field(
            'Invite code',
            input({ name: 'inviteCode', autocomplete: 'off', required: true, value: code, spellcheck: 'false' }),
            'From your invite email; the link fills it in.',
          ),
          field(
            'Password',
            input({ name: 'password', type: 'password', autocomplete: 'new-password', required: true, minlength: 12 }),
            'At least 12 characters.',
          ),
        ],
        'Create account',
        async (data) => {
          const username = formText(data, 'email');
          const result = await signUp({
            username,
            password: String(data.get('password') ?? ''),
            options: { userAttributes: { email: username }, validationData: { invite_code: formText(data, 'inviteCode') } },
          });
          if (result.nextStep.signUpStep === 'DONE') await navigate(`/sign-in?${new URLSearchParams({ email: username })}`);
          else await navigate(`/confirm?${new URLSearchParams({ email: username })}`);
        },
      ),
      h('p', {}, 'Already have an account? ', h('a', { href: '/sign-in' }, 'Sign in'), ', then accept the invite on your home page.'),
    );
  },
};
