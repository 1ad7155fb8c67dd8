import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  AdminAddUserToGroupCommand,
  CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { signInWithSrp } from '../../local/sign-in';
import type { BenchStack } from './local-stack';

/** People on the local stack, signed up through cognito-local and its real triggers, as test/integration/support does. */
export const PASSWORD = 'Correct-Horse-Battery-42';

export type Person = { email: string; userId: string; accessToken: string; refreshToken: string };

export const uniqueEmail = (label: string): string => `${label}-${randomUUID().slice(0, 8)}@bench.test`;

const decodeSub = (token: string): string => {
  const payload = token.split('.')[1] ?? '';
  return String((JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { sub?: unknown }).sub);
};

export const localCognito = (stack: BenchStack) => {
  const client = new CognitoIdentityProviderClient({
    endpoint: stack.info.cognito.endpoint,
    region: stack.info.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const clientId = stack.info.cognito.clientId;
  const mailDir = path.join(stack.stateDir, 'mail');

  const mailsTo = (email: string) =>
    fs.existsSync(mailDir)
      ? fs
          .readdirSync(mailDir)
          .filter((f) => f.endsWith('.json'))
          .map((f) => JSON.parse(fs.readFileSync(path.join(mailDir, f), 'utf8')) as { to: string; text: string; at: string })
          .filter((m) => m.to.toLowerCase() === email.toLowerCase())
          .sort((a, b) => a.at.localeCompare(b.at))
      : [];

  /** Waits for the newest mail to `email` that `find` reads something from. */
  const fromMail = async (email: string, what: string, find: (text: string) => string | undefined): Promise<string> => {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const found = mailsTo(email)
        .map((m) => find(m.text))
        .filter((v) => v !== undefined)
        .at(-1);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no ${what} for ${email} in ${mailDir}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const latestCode = (email: string) =>
    fromMail(email, 'verification code', (text) => (text.includes('invite_code=') ? undefined : /\b(\d{6})\b/.exec(text)?.[1]));
  /** The invite's secret, from the sign-up link of the newest invite email (as the invitee's browser would read it). */
  const inviteCode = (email: string) => fromMail(email, 'invite link', (text) => /invite_code=([A-Za-z0-9_-]+)/.exec(text)?.[1]);

  /** As the web and mobile clients sign in: SRP through amazon-cognito-identity-js. */
  const signIn = async (email: string): Promise<Person> => {
    const { accessToken, refreshToken } = await signInWithSrp(stack.info.cognito, email, PASSWORD);
    return { email, userId: decodeSub(accessToken), accessToken, refreshToken };
  };

  /** Sign-up with the invite's code (PreSignUp checks it), the mailed code, confirmation (PostConfirmation), sign-in. */
  const signUp = async (email: string): Promise<Person> => {
    await client.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: email,
        Password: PASSWORD,
        UserAttributes: [{ Name: 'email', Value: email }],
        ValidationData: [{ Name: 'invite_code', Value: await inviteCode(email) }],
      }),
    );
    await client.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: email, ConfirmationCode: await latestCode(email) }));
    return signIn(email);
  };

  const makePlatformAdmin = async (person: Person): Promise<Person> => {
    await client.send(
      new AdminAddUserToGroupCommand({ UserPoolId: stack.info.cognito.userPoolId, Username: person.email, GroupName: 'platform-admin' }),
    );
    return signIn(person.email);
  };

  return { signUp, signIn, makePlatformAdmin, destroy: () => client.destroy() };
};
