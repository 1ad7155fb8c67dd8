import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  AdminAddUserToGroupCommand,
  CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  InitiateAuthCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
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

  const latestCode = async (email: string): Promise<string> => {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const mails = fs.existsSync(mailDir)
        ? fs
            .readdirSync(mailDir)
            .filter((f) => f.endsWith('.json'))
            .map((f) => JSON.parse(fs.readFileSync(path.join(mailDir, f), 'utf8')) as { to: string; text: string; at: string })
            .filter((m) => m.to.toLowerCase() === email.toLowerCase())
            .sort((a, b) => a.at.localeCompare(b.at))
        : [];
      const code = /\b(\d{6})\b/.exec(mails.at(-1)?.text ?? '')?.[1];
      if (code) return code;
      if (Date.now() > deadline) throw new Error(`no verification code for ${email} in ${mailDir}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  const signIn = async (email: string): Promise<Person> => {
    const out = await client.send(
      new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: email, PASSWORD } }),
    );
    const r = out.AuthenticationResult;
    if (!r?.AccessToken || !r.RefreshToken) throw new Error('sign-in returned no tokens');
    return { email, userId: decodeSub(r.AccessToken), accessToken: r.AccessToken, refreshToken: r.RefreshToken };
  };

  /** Sign-up (PreSignUp checks the invite), the mailed code, confirmation (PostConfirmation), sign-in. */
  const signUp = async (email: string): Promise<Person> => {
    await client.send(
      new SignUpCommand({ ClientId: clientId, Username: email, Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: email }] }),
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
