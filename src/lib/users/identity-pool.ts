import { CognitoIdentityClient, GetIdCommand, NotAuthorizedException } from '@aws-sdk/client-cognito-identity';
import * as z from 'zod';
import { config } from '../config';
import { ENV, runsOnLocalStack } from '../env-names';
import { ForbiddenError } from '../errors';
import { optional, readConfig } from '../read-config';
import { isIdentityId } from './identity-id';

/**
 * The Identity Pool's side of "who is identity X": GetId for a user pool ID
 * token answers the identity id Cognito gives that user. Its answer is the
 * authority: a client never names its own identity id.
 */

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

const schema = z.object({
  // Pool ids have the identity ids' shape: `<region>:<uuid>`.
  [ENV.identityPoolId]: z.string().refine(isIdentityId, 'must be an identity pool id (<region>:<uuid>)'),
  [ENV.cognitoIdentityEndpoint]: optional(z.url()),
});

export type IdentityPoolConfig = { identityPoolId: string; endpoint: string | undefined };

export const parseIdentityPoolConfig = (env: NodeJS.ProcessEnv): IdentityPoolConfig => {
  const c = readConfig('identity pool', schema, env);
  const endpoint = c[ENV.cognitoIdentityEndpoint];
  // Like the local token issuer: an emulator's endpoint is honoured on the local stack only.
  if (endpoint !== undefined && (!runsOnLocalStack(env) || !LOOPBACK_HOSTS.has(new URL(endpoint).hostname))) {
    throw new Error('A local identity pool endpoint is only accepted on the local stack.');
  }
  return { identityPoolId: c[ENV.identityPoolId], endpoint };
};

export const identityPoolConfig: IdentityPoolConfig = parseIdentityPoolConfig(process.env);

const client = new CognitoIdentityClient({
  region: identityPoolConfig.identityPoolId.split(':')[0] ?? config.region,
  ...(identityPoolConfig.endpoint ? { endpoint: identityPoolConfig.endpoint } : {}),
  maxAttempts: 3,
});

/**
 * The identity id of the user whose ID token this is, created by Cognito on
 * first use. A token Cognito refuses (a signed-out user: the pool checks
 * tokens server-side) is the caller's problem, 403; anything else is a fault.
 */
export const identityIdOf = async (idToken: string, providerName: string): Promise<string> => {
  let identityId: string | undefined;
  try {
    const out = await client.send(
      new GetIdCommand({ IdentityPoolId: identityPoolConfig.identityPoolId, Logins: { [providerName]: idToken } }),
    );
    identityId = out.IdentityId;
  } catch (err) {
    if (err instanceof NotAuthorizedException) throw new ForbiddenError('The identity pool refused the ID token.', { cause: err });
    throw err;
  }
  if (!identityId || !isIdentityId(identityId)) throw new Error('GetId answered no identity id');
  return identityId;
};
