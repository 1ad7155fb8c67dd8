import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { JwtExpiredError, JwtInvalidAudienceError, JwtInvalidIssuerError } from 'aws-jwt-verify/error';
import type { JwtPayload } from 'aws-jwt-verify/jwt-model';
import { createJwtVerifier } from '../../src/lib/auth/verifier';
import { type IdentityStore, openIdentityStore, type PrincipalTags } from './identity-store';

/**
 * The local Cognito Identity Pool (`AWSCognitoIdentityService`, AWS JSON 1.1):
 * GetId and GetCredentialsForIdentity of the enhanced flow, as
 * resources/identity-pool.yml configures the deployed pool: the user pool's
 * app client as the only provider, ServerSideTokenCheck, no guest access,
 * principal tags tenant_id and tenant_role from the ID token, one-hour
 * credentials. It runs in the stack's own process; the credentials it issues
 * go to a file the local S3 reads (identity-store.ts).
 */

/** What GetCredentialsForIdentity's enhanced flow issues: one hour, whatever the role allows. */
export const CREDENTIALS_LIFETIME_MS = 60 * 60 * 1000;
const MAX_BODY_BYTES = 64 * 1024;
const POOL_ID = /^[\w-]+:[0-9a-f-]+$/;

export type IdentityServerOptions = {
  /** 0 = a free port (tests). */
  port: number;
  region: string;
  stateDir: string;
  persist: boolean;
  /** The local user pool: its issuer (`http://127.0.0.1:<port>/<poolId>`) and app client. */
  userPool: { issuer: string; userPoolId: string; clientIds: string[] };
};

export type IdentityServer = { endpoint: string; identityPoolId: string; close: () => Promise<void> };

class IdentityServiceError extends Error {
  constructor(
    readonly type: 'NotAuthorizedException' | 'ResourceNotFoundException' | 'InvalidParameterException' | 'UnknownOperationException',
    message: string,
  ) {
    super(message);
  }
}
const notAuthorized = (message: string) => new IdentityServiceError('NotAuthorizedException', message);
const invalidParameter = (message: string) => new IdentityServiceError('InvalidParameterException', message);

type CognitoUser = { Enabled?: boolean; SignedOutAt?: number };

/**
 * The emulator's record of a user (its data file, `.cognito/db/<poolId>.json`
 * under the state directory, written on every change): what
 * ServerSideTokenCheck asks the user pool on AWS.
 */
const cognitoUser = (stateDir: string, userPoolId: string, username: string): CognitoUser | undefined => {
  try {
    const db = JSON.parse(fs.readFileSync(path.join(stateDir, '.cognito', 'db', `${userPoolId}.json`), 'utf8')) as {
      Users?: Record<string, CognitoUser>;
    };
    return db.Users?.[username];
  } catch {
    return undefined;
  }
};

/** A JWT's payload, unverified: only to refuse what is not an ID token with the right message. */
const claimsOf = (token: string): Record<string, unknown> | undefined => {
  try {
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as unknown;
    return typeof claims === 'object' && claims !== null ? (claims as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
};

type Login = { providerName: string; sub: string; principalTags: PrincipalTags };

const stringField = (body: Record<string, unknown>, name: string, pattern: RegExp, maxLength: number): string => {
  const value = body[name];
  if (typeof value !== 'string' || !pattern.test(value) || value.length > maxLength) {
    const field = name.charAt(0).toLowerCase() + name.slice(1);
    throw invalidParameter(
      `1 validation error detected: Value '${String(value)}' at '${field}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${pattern.source.slice(1, -1)}`,
    );
  }
  return value;
};

export const startIdentityServer = async (options: IdentityServerOptions): Promise<IdentityServer> => {
  const store: IdentityStore = openIdentityStore(options);
  const { issuer, userPoolId, clientIds } = options.userPool;
  // Amplify and the SDKs key a user pool login by the issuer without its scheme, as
  // `cognito-idp.<region>.amazonaws.com/<poolId>` on AWS.
  const providerName = issuer.replace(/^\w+:\/\//, '');
  // The product's own ID-token check (src/lib/auth/verifier.ts) against the emulator's issuer.
  const verifier = createJwtVerifier({ userPoolId, clientIds, region: options.region, localIssuer: issuer, cacheMillis: 0 }, 'id');

  /** The one login of this pool's provider, verified as Cognito verifies it. */
  const verifiedLogin = async (logins: unknown): Promise<Login> => {
    if (logins === undefined || logins === null || (typeof logins === 'object' && Object.keys(logins).length === 0)) {
      throw notAuthorized('Unauthenticated access is not supported for this identity pool.');
    }
    if (typeof logins !== 'object' || Object.values(logins).some((v) => typeof v !== 'string')) {
      throw invalidParameter('Logins must map provider names to tokens.');
    }
    const entries = Object.entries(logins as Record<string, string>);
    const token = entries.find(([name]) => name === providerName)?.[1];
    if (entries.length !== 1 || token === undefined) {
      throw notAuthorized('Invalid login token. Token is not from a supported provider of this identity pool.');
    }
    // An access token (or anything else) is refused as such, before its signature is checked.
    if (claimsOf(token)?.token_use !== 'id') throw notAuthorized('Invalid login token. Not a valid OpenId Connect identity token.');
    let payload: JwtPayload;
    try {
      payload = await verifier.verify(token);
    } catch (err) {
      if (err instanceof JwtExpiredError) throw notAuthorized('Invalid login token. Token expired.');
      if (err instanceof JwtInvalidIssuerError) throw notAuthorized("Invalid login token. Issuer doesn't match providerName");
      if (err instanceof JwtInvalidAudienceError) throw notAuthorized('Invalid login token. Incorrect token audience.');
      throw notAuthorized('Invalid login token. Not a valid OpenId Connect identity token.');
    }
    const username = payload['cognito:username'];
    const sub = payload.sub;
    if (typeof username !== 'string' || typeof sub !== 'string') throw notAuthorized('Invalid login token.');
    // ServerSideTokenCheck: the user still exists, is enabled and has not signed out everywhere since.
    const user = cognitoUser(options.stateDir, userPoolId, username);
    if (!user || user.Enabled === false || (typeof user.SignedOutAt === 'number' && (payload.iat ?? 0) <= user.SignedOutAt)) {
      throw notAuthorized('Invalid login token. Token is revoked or its user is no longer valid.');
    }
    const principalTags: PrincipalTags = {};
    if (typeof payload.tenant_id === 'string') principalTags.tenant_id = payload.tenant_id;
    if (typeof payload.tenant_role === 'string') principalTags.tenant_role = payload.tenant_role;
    return { providerName, sub, principalTags };
  };

  const operations: Record<string, (body: Record<string, unknown>) => Promise<unknown>> = {
    GetId: async (body) => {
      const poolId = stringField(body, 'IdentityPoolId', POOL_ID, 55);
      if (poolId !== store.identityPoolId)
        throw new IdentityServiceError('ResourceNotFoundException', `IdentityPool '${poolId}' not found.`);
      const login = await verifiedLogin(body.Logins);
      return { IdentityId: store.identityFor(login.providerName, login.sub) };
    },
    GetCredentialsForIdentity: async (body) => {
      const identityId = stringField(body, 'IdentityId', POOL_ID, 55);
      const owner = store.ownerOf(identityId);
      if (!owner) throw new IdentityServiceError('ResourceNotFoundException', `Identity '${identityId}' not found.`);
      const login = await verifiedLogin(body.Logins);
      if (login.providerName !== owner.providerName || login.sub !== owner.sub) {
        throw notAuthorized("Logins don't match. Please include at least one valid login for this identity or identity pool.");
      }
      const issued = store.issue(identityId, login.principalTags, CREDENTIALS_LIFETIME_MS);
      return {
        IdentityId: identityId,
        Credentials: {
          AccessKeyId: issued.accessKeyId,
          SecretKey: issued.secretKey,
          SessionToken: issued.sessionToken,
          // Epoch seconds, as the JSON protocol sends timestamps.
          Expiration: issued.expiresAt / 1000,
        },
      };
    },
  };

  const answer = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, {
      'content-type': 'application/x-amz-json-1.1',
      'x-amzn-requestid': randomUUID(),
      'access-control-allow-origin': '*',
      'access-control-expose-headers': 'x-amzn-requestid, x-amzn-errortype, x-amzn-errormessage',
      ...headers,
    });
    res.end(JSON.stringify(body));
  };
  const fail = (res: http.ServerResponse, err: IdentityServiceError) =>
    answer(res, 400, { __type: err.type, message: err.message }, { 'x-amzn-errortype': err.type });

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (req.method === 'OPTIONS') {
      // Browsers' preflight: what Amplify and the SDK send (content-type, x-amz-target, x-amz-user-agent, cache-control).
      res.writeHead(204, {
        'access-control-allow-origin': '*',
        'access-control-allow-methods': 'POST',
        'access-control-allow-headers': req.headers['access-control-request-headers'] ?? '*',
        'access-control-max-age': '600',
      });
      res.end();
      return;
    }
    if (req.method === 'GET' && req.url === '/health') return answer(res, 200, { ok: true });
    if (req.method !== 'POST' || (req.url ?? '/').split('?')[0] !== '/') {
      return fail(res, new IdentityServiceError('UnknownOperationException', 'Only POST / is served.'));
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY_BYTES) return fail(res, invalidParameter('The request is too large.'));
      chunks.push(chunk as Buffer);
    }
    const target = String(req.headers['x-amz-target'] ?? '');
    const [service, operation = ''] = target.split('.');
    const run = service === 'AWSCognitoIdentityService' ? operations[operation] : undefined;
    if (!run) return fail(res, new IdentityServiceError('UnknownOperationException', `Unknown operation ${target}`));
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
    } catch {
      return fail(res, invalidParameter('The request body is not valid JSON.'));
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      return fail(res, invalidParameter('The request body must be an object.'));
    try {
      answer(res, 200, await run(body as Record<string, unknown>));
    } catch (err) {
      if (err instanceof IdentityServiceError) return fail(res, err);
      answer(res, 500, { __type: 'InternalErrorException', message: String(err) }, { 'x-amzn-errortype': 'InternalErrorException' });
    }
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    identityPoolId: store.identityPoolId,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
};
