import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  InitiateAuthCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { signInWithSrp } from '../../../scripts/local/sign-in';
import { latestCodeMailTo, latestInviteCodeTo, verificationCode } from './mail';
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

/**
 * Self-service sign-up as the invite email's link does it: with the invite's
 * code as ValidationData `invite_code`. `inviteCode` defaults to the code of
 * the newest invite email to that address; `null` sends none.
 */
export const signUp = async (email: string, options: { inviteCode?: string | null; clientId?: string } = {}) => {
  const code = options.inviteCode === undefined ? await latestInviteCodeTo(email) : options.inviteCode;
  return cognito.send(
    new SignUpCommand({
      ClientId: options.clientId ?? stack.cognito.clientId,
      Username: email,
      Password: PASSWORD,
      UserAttributes: [{ Name: 'email', Value: email }],
      ...(code === null ? {} : { ValidationData: [{ Name: 'invite_code', Value: code }] }),
    }),
  );
};

export const confirmWithMailedCode = async (email: string, clientId = stack.cognito.clientId) => {
  const code = verificationCode(await latestCodeMailTo(email));
  await cognito.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: email, ConfirmationCode: code }));
};

/**
 * Signs in as the web and mobile clients do, with amazon-cognito-identity-js's
 * SRP (USER_SRP_AUTH), the only password flow the app client allows. Another
 * pool's client needs that pool's id: SRP proves the password for pool and user.
 */
export const signIn = (email: string, clientId = stack.cognito.clientId, userPoolId = stack.cognito.userPoolId): Promise<Tokens> =>
  signInWithSrp({ endpoint: stack.cognito.endpoint, userPoolId, clientId }, email, PASSWORD);

/**
 * Another app client of the stack's pool (the API does not allow it), with the
 * public client's flows. Sign-ins through it are sign-ins all the same: Cognito
 * runs PostAuthentication for them.
 */
export const anotherAppClient = async (name: string): Promise<string> => {
  const out = await cognito.send(
    new CreateUserPoolClientCommand({
      UserPoolId: stack.cognito.userPoolId,
      ClientName: name,
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    }),
  );
  const id = out.UserPoolClient?.ClientId;
  if (!id) throw new Error('no app client created');
  return id;
};

export const refresh = async (refreshToken: string, clientId = stack.cognito.clientId) => {
  const out = await cognito.send(
    new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: refreshToken } }),
  );
  const r = out.AuthenticationResult;
  if (!r?.AccessToken || !r.IdToken) throw new Error('refresh returned no tokens');
  return { accessToken: r.AccessToken, idToken: r.IdToken };
};

/**
 * The whole path of an invited person: sign up with the invite's code (from the
 * invite email, unless given), read the verification code from the mailbox,
 * confirm, sign in.
 */
export const signUpConfirmAndSignIn = async (email: string, inviteCode?: string): Promise<Tokens & { userId: string }> => {
  await signUp(email, inviteCode === undefined ? {} : { inviteCode });
  await confirmWithMailedCode(email);
  const tokens = await signIn(email);
  return { ...tokens, userId: String(decodeJwt(tokens.accessToken).sub) };
};

/**
 * A user of a pool other than the API's (same emulator, so locally the same
 * signing key: only `iss` tells the pools apart), signed in through that
 * pool's own client. The emulator runs our PreSignUp for every pool, so the
 * address needs a pending invite first.
 */
export const signInToAnotherPool = async (email: string): Promise<Tokens> => {
  const pool = await cognito.send(new CreateUserPoolCommand({ PoolName: 'another-pool', UsernameAttributes: ['email'] }));
  const poolId = pool.UserPool?.Id ?? '';
  const client = await cognito.send(
    new CreateUserPoolClientCommand({
      UserPoolId: poolId,
      ClientName: 'other',
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    }),
  );
  await cognito.send(
    new AdminCreateUserCommand({
      UserPoolId: poolId,
      Username: email,
      MessageAction: 'SUPPRESS',
      UserAttributes: [{ Name: 'email', Value: email }],
    }),
  );
  await cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: email, Password: PASSWORD, Permanent: true }));
  return signIn(email, client.UserPoolClient?.ClientId ?? '', poolId);
};
