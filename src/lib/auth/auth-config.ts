import * as z from 'zod';
import { ENV, runsOnLocalStack } from '../env-names';
import { optional, readConfig } from '../read-config';

/**
 * Token-check configuration, read once at module load. The local issuer is
 * accepted only on the local stack: it must be a loopback URL, the code must be
 * running under serverless-offline, and never inside a real Lambda runtime.
 */
const schema = z.object({
  [ENV.userPoolId]: z.string().regex(/^[\w-]+_[0-9a-zA-Z]+$/, 'must be a Cognito user pool id'),
  [ENV.appClientIds]: z
    .string()
    .transform((s) =>
      s
        .split(',')
        .map((id) => id.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().regex(/^[\w+]+$/)).min(1, 'needs at least one app client id')),
  [ENV.localTokenIssuer]: optional(z.url()),
  [ENV.authCacheSeconds]: z.coerce.number().min(0).max(5).default(4),
  AWS_REGION: z.string().min(1).default('us-east-1'),
});

export type AuthConfig = {
  userPoolId: string;
  clientIds: string[];
  region: string;
  /** Set only on the local stack. */
  localIssuer: string | undefined;
  cacheMillis: number;
};

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export const parseAuthConfig = (env: NodeJS.ProcessEnv): AuthConfig => {
  const c = readConfig('auth', schema, env);
  const localIssuer = c[ENV.localTokenIssuer];
  if (localIssuer !== undefined) {
    const url = new URL(localIssuer);
    if (!runsOnLocalStack(env) || !LOOPBACK_HOSTS.has(url.hostname)) {
      throw new Error('A local token issuer is only accepted on the local stack.');
    }
    if (!url.pathname.endsWith(`/${c[ENV.userPoolId]}`)) {
      throw new Error('The local token issuer must name the configured user pool.');
    }
  }
  return {
    userPoolId: c[ENV.userPoolId],
    clientIds: c[ENV.appClientIds],
    region: c.AWS_REGION,
    localIssuer,
    cacheMillis: c[ENV.authCacheSeconds] * 1000,
  };
};

export const authConfig: AuthConfig = parseAuthConfig(process.env);
