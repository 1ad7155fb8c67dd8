import * as z from 'zod';
import { ENV, runsOnLocalStack } from '../env-names';
import { optional, readConfig } from '../read-config';

const schema = z.object({
  [ENV.userPoolId]: z.string().min(1),
  [ENV.appClientIds]: z.string().min(1),
  [ENV.hostedLoginUrl]: z.url({ protocol: /^https?$/ }),
  [ENV.oauthRedirectUri]: z.url({ protocol: /^https?$/ }),
  [ENV.cognitoEndpoint]: optional(z.url()),
});

export type SsoSettings = {
  userPoolId: string;
  /** The public app client: the one whose SupportedIdentityProviders list tenants' providers, and the authorize URL's `client_id`. */
  appClientId: string;
  /** `https://<prefix>.auth.<region>.amazoncognito.com` on AWS; the Cognito emulator locally. */
  hostedLoginUrl: string;
  redirectUri: string;
  cognitoEndpoint: string | undefined;
  /** The local stack: outbound fetches may reach loopback over http (the local identity provider runs there). */
  local: boolean;
};

export const parseSsoSettings = (env: NodeJS.ProcessEnv): SsoSettings => {
  const c = readConfig('SSO', schema, env);
  const [appClientId] = c[ENV.appClientIds]
    .split(',')
    .map((id) => id.trim())
    .filter(Boolean);
  if (!appClientId) throw new Error('Invalid SSO configuration: no app client id');
  return {
    userPoolId: c[ENV.userPoolId],
    appClientId,
    hostedLoginUrl: c[ENV.hostedLoginUrl].replace(/\/+$/, ''),
    redirectUri: c[ENV.oauthRedirectUri],
    cognitoEndpoint: c[ENV.cognitoEndpoint],
    local: runsOnLocalStack(env),
  };
};

/** Read once at module load: a missing value fails the cold start, never a request. */
export const ssoSettings: SsoSettings = parseSsoSettings(process.env);
