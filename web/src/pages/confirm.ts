import { confirmSignUp, resendSignUpCode } from 'aws-amplify/auth';
import type { Page } from '../router';
import { navigate } from '../router';
import { field, form, formText, h, input, messages } from '../ui/dom';

/** The code Cognito mailed at sign-up (locally: a JSON file in `.local/mail/`). */
export const confirmPage: Page = {
  title: 'Confirm your email',
  access: 'public',
  render: ({ query }) => {
    const email = input({ name: 'email', type: 'email', autocomplete: 'username', required: true, value: query.get('email') ?? '' });
    const resendFeedback = messages();
    const resend = h('button', { type: 'button', class: 'secondary' }, 'Send a new code');
    resend.addEventListener('click', () => {
      resendSignUpCode({ username: email.value.trim() })
        .then(() => resendFeedback.info('A new code is on its way.'))
        .catch((err: unknown) => resendFeedback.error(err));
    });
    return h(
      'div',
      {},
      h('p', {}, 'We sent a code to your email. Enter it to confirm the address.'),
      form(
        { label: 'Confirm your email' },
        [
          field('Email', email),
          field(
            'Code',
            input({ name: 'code', inputmode: 'numeric', autocomplete: 'one-time-code', required: true, pattern: '[0-9]{6,8}' }),
          ),
        ],
        'Confirm',
        async (data) => {
          const username = formText(data, 'email');
          await confirmSignUp({ username, confirmationCode: formText(data, 'code') });
          await navigate(`/sign-in?${new URLSearchParams({ email: username, reason: 'confirmed' })}`);
        },
      ),
      h('div', {}, resend, ...resendFeedback.nodes),
    );
  },
};
