import {
  CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  InitiateAuthCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { latestMailTo, verificationCode } from './mail';
import { PASSWORD, stack } from './stack';

export const cognito = new CognitoIdentityProviderClient({
  endpoint: stack.cognito.endpoint,
  region: stack.region,
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
});

export type Tokens = { accessToken: string; idToken: string; refreshToken: string };

export const decodeJwt = (token: string): Record<string, unknown> => {
  const payload = token.split('.')[1];
  if (!payload) throw new Error('not a JWT');
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
};

export const signUp = (email: string, clientId = stack.cognito.clientId) =>
  cognito.send(
    new SignUpCommand({ ClientId: clientId, Username: email, Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: email }] }),
  );

export const confirmWithMailedCode = async (email: string, clientId = stack.cognito.clientId) => {
  const code = verificationCode(await latestMailTo(email));
  await cognito.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: email, ConfirmationCode: code }));
};

export const signIn = async (email: string, clientId = stack.cognito.clientId, client = cognito): Promise<Tokens> => {
  const out = await client.send(
    new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: email, PASSWORD } }),
  );
  const r = out.AuthenticationResult;
  if (!r?.AccessToken || !r.IdToken || !r.RefreshToken) throw new Error('sign-in returned no tokens');
  return { accessToken: r.AccessToken, idToken: r.IdToken, refreshToken: r.RefreshToken };
};

export const refresh = async (refreshToken: string, clientId = stack.cognito.clientId) => {
  const out = await cognito.send(
    new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: refreshToken } }),
  );
  const r = out.AuthenticationResult;
  if (!r?.AccessToken || !r.IdToken) throw new Error('refresh returned no tokens');
  return { accessToken: r.AccessToken, idToken: r.IdToken };
};

/** The whole path of an invited person: sign up, read the code from the mailbox, confirm, sign in. */
export const signUpConfirmAndSignIn = async (email: string): Promise<Tokens & { userId: string }> => {
  await signUp(email);
  await confirmWithMailedCode(email);
  const tokens = await signIn(email);
  return { ...tokens, userId: String(decodeJwt(tokens.accessToken).sub) };
};
