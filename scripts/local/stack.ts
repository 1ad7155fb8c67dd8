import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { writeZone } from './dns-zone';
import { type IdentityServer, startIdentityServer } from './identity-server';
import { type OidcIdp, type OidcIdpInfo, startOidcIdp } from './oidc-idp';
import { isPortFree, waitForPort } from './ports';
import { type Managed, startProcess, stopProcesses } from './processes';
import { ensureTable, ensureUserPool, LOCAL_CREDENTIALS, type LocalPool } from './provision';
import { ensureWebBuild, serveWebApp, type WebServer } from './web-app';

export const ROOT = path.resolve(__dirname, '../..');
export const SERVICE = 'tenantgate';
export const STAGE = 'local';
export const REGION = 'eu-west-1';
export const TABLE_NAME = `${SERVICE}-${STAGE}`;
export const BUCKET_NAME = `${SERVICE}-${STAGE}-uploads`;
export const TRIGGERS = ['preSignUp', 'postConfirmation', 'postAuthentication', 'preTokenGeneration'] as const;
/** The function S3 ObjectCreated events go to (serverless.yml `ingestFile`). */
export const INGEST_FUNCTION = `${SERVICE}-${STAGE}-ingestFile`;

export type StackPorts = {
  api: number;
  lambda: number;
  cognito: number;
  dynamodb: number;
  s3: number;
  dns: number;
  oidc: number;
  /** The local Identity Pool (scripts/local/identity-server.ts). */
  identity: number;
};

export type StackInfo = {
  region: string;
  apiUrl: string;
  cognito: { endpoint: string; userPoolId: string; clientId: string };
  /** The local Identity Pool: Amplify's Auth.Cognito.identityPoolId and identityPoolEndpoint. */
  identityPool: { endpoint: string; identityPoolId: string };
  dynamodb: { endpoint: string };
  s3: { endpoint: string; bucket: string };
  /** The DNS server that answers domain verification's TXT queries, and its zone file (`npm run dns -- txt …` writes it). */
  dns: { server: string; zoneFile: string };
  /** The local OpenID Connect identity provider (scripts/local/oidc-idp.ts): a development fixture for tenant SSO. */
  oidcIdp: OidcIdpInfo;
  /** Where the web app is served, when the stack serves it (`web` option). */
  webUrl?: string;
};

export type StackOptions = {
  stateDir: string;
  ports: StackPorts;
  /** Keep users, tables and objects across restarts (npm start); tests start empty. */
  persist: boolean;
  /** Print the API's log lines to this terminal. */
  echoApi: boolean;
  onProgress?: (message: string) => void;
  /**
   * Where serverless-esbuild builds the functions, relative to the project
   * (default `.esbuild`). Each stack needs its own: two stacks building into one
   * folder (`npm test` while `npm start` runs) replace each other's bundles mid-run.
   */
  buildDir?: string;
  /**
   * Rebuild the functions when a file under src/ changes (`npm start`: the
   * default). A test stack builds once: serverless-esbuild rebuilds every
   * function on each change it sees, and a run's stack that rebuilt on every
   * edit made meanwhile grew esbuild to 18 GB.
   */
  watch?: boolean;
  /** Build (if stale) and serve the web app on this port; invite links then point at it. */
  web?: { port: number };
};

export type RunningStack = { info: StackInfo; processes: Managed[]; stop: () => Promise<void> };

/** serverless.yml's local `webOrigin` when TG_WEB_ORIGIN is not set (a stack that does not serve the web app). */
export const LOCAL_WEB_ORIGIN = 'http://localhost:5173';

/** `npm start`'s web app port; serverless.yml's local `webOrigin` (invite links) defaults to the same. */
export const defaultWebPort = (env: NodeJS.ProcessEnv): number => Number(env.TG_WEB_PORT ?? 5173);

export const defaultPorts = (env: NodeJS.ProcessEnv): StackPorts => ({
  api: Number(env.TG_API_PORT ?? 3000),
  lambda: Number(env.TG_LAMBDA_PORT ?? 3002),
  cognito: Number(env.TG_COGNITO_PORT ?? 9229),
  dynamodb: Number(env.TG_DYNAMODB_PORT ?? 8000),
  s3: Number(env.TG_S3_PORT ?? 4569),
  dns: Number(env.TG_DNS_PORT ?? 5354),
  oidc: Number(env.TG_OIDC_PORT ?? 4011),
  identity: Number(env.TG_IDENTITY_PORT ?? 9230),
});

export const requireJava = (): void => {
  const java = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (java.error || java.status !== 0) {
    throw new Error(
      'DynamoDB Local needs Java 17 or newer, and `java` was not found.\n' +
        'Install it (Debian/Ubuntu: `sudo apt-get install -y openjdk-17-jre-headless`; macOS: `brew install openjdk@17`) and run `npm start` again.',
    );
  }
};

/** cognito-local's config: triggers through serverless-offline's Lambda endpoint, V2_0 token generation. */
const writeCognitoConfig = (stateDir: string, ports: StackPorts) => {
  const dir = path.join(stateDir, '.cognito');
  fs.mkdirSync(dir, { recursive: true });
  const config = {
    LambdaClient: {
      endpoint: `http://127.0.0.1:${ports.lambda}`,
      region: REGION,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    },
    TriggerFunctions: {
      PreSignUp: `${SERVICE}-${STAGE}-preSignUp`,
      PostConfirmation: `${SERVICE}-${STAGE}-postConfirmation`,
      PostAuthentication: `${SERVICE}-${STAGE}-postAuthentication`,
      PreTokenGeneration: `${SERVICE}-${STAGE}-preTokenGeneration`,
    },
    // What the EventBridge rule on CloudTrail's GlobalSignOut event runs on AWS (serverless.yml cognitoGlobalSignOut).
    ApiCallEvents: { FunctionName: `${SERVICE}-${STAGE}-cognitoGlobalSignOut`, EventNames: ['GlobalSignOut'] },
    PreTokenGenerationConfig: { LambdaVersion: 'V2_0' },
    TokenConfig: { IssuerDomain: `http://127.0.0.1:${ports.cognito}` },
  };
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config, null, 2));
};

const waitForHttp = async (url: string, timeoutMs: number, child: Managed): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.child.exitCode !== null) throw new Error(`${child.name} exited with code ${child.child.exitCode}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
};

const readJson = <T>(file: string): T | undefined => {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
};

/** The local identity provider's client secrets derive from this: kept by `npm start`, so the tenant SSO it configured keeps working. */
const oidcSecretSeed = (stateDir: string, persist: boolean): string => {
  const file = path.join(stateDir, 'oidc-idp-seed');
  if (persist && fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  const seed = randomBytes(32).toString('base64url');
  if (persist) fs.writeFileSync(file, seed, { mode: 0o600 });
  return seed;
};

/**
 * Starts DynamoDB Local, s3rver, cognito-local and serverless-offline, creates
 * the table, bucket, pool and client, and writes stack.json. On any failure it
 * stops what it started before rethrowing.
 */
export const startStack = async (options: StackOptions): Promise<RunningStack> => {
  const { stateDir, ports } = options;
  const progress = options.onProgress ?? (() => {});
  requireJava();
  for (const [name, port] of Object.entries({ ...ports, ...(options.web ? { web: options.web.port } : {}) })) {
    if (!(await isPortFree(port))) {
      throw new Error(`Port ${port} (${name}) is in use. Stop what uses it, or choose another with TG_${name.toUpperCase()}_PORT.`);
    }
  }
  const logDir = path.join(stateDir, 'logs');
  const mailDir = path.join(stateDir, 'mail');
  fs.mkdirSync(logDir, { recursive: true });
  fs.mkdirSync(mailDir, { recursive: true });
  fs.rmSync(path.join(stateDir, 'stack.json'), { force: true });

  const baseEnv: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    LANG: process.env.LANG,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_REGION: REGION,
    // The local stack runs on this machine's Node (20+); AWS runs nodejs22.x.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  const node = process.execPath;
  const processes: Managed[] = [];
  let web: WebServer | undefined;
  let oidcIdp: OidcIdp | undefined;
  let identityPool: IdentityServer | undefined;
  const stop = async () => {
    await web?.close();
    await oidcIdp?.close();
    await identityPool?.close();
    await stopProcesses(processes);
  };
  const webUrl = options.web ? `http://localhost:${options.web.port}` : undefined;

  try {
    progress('starting DynamoDB Local, s3rver and cognito-local');
    writeCognitoConfig(stateDir, ports);
    if (!options.persist) fs.rmSync(path.join(stateDir, '.cognito', 'db'), { recursive: true, force: true });

    const dynamodb = startProcess('dynamodb', node, [path.join(__dirname, 'dynamodb-server.cjs')], {
      cwd: ROOT,
      env: {
        ...baseEnv,
        TG_DYNAMODB_PORT: String(ports.dynamodb),
        ...(options.persist ? { TG_DYNAMODB_DIR: path.join(stateDir, 'dynamodb') } : {}),
        JAVA_TOOL_OPTIONS: '-Xmx512m -XX:+UseSerialGC',
      },
      logFile: path.join(logDir, 'dynamodb.log'),
    });
    processes.push(dynamodb);
    const s3 = startProcess('s3', node, ['--openssl-legacy-provider', path.join(__dirname, 's3-server.cjs')], {
      cwd: ROOT,
      env: {
        ...baseEnv,
        TG_S3_PORT: String(ports.s3),
        TG_S3_DIR: path.join(stateDir, 's3'),
        TG_BUCKET: BUCKET_NAME,
        // s3rver sends no event notifications: the notifier delivers ObjectCreated to the ingest.
        TG_LAMBDA_PORT: String(ports.lambda),
        TG_INGEST_FUNCTION: INGEST_FUNCTION,
        // The local Identity Pool's state: the temporary credentials it issues, its id.
        TG_IDENTITY_DIR: path.join(stateDir, 'identity-pool'),
      },
      logFile: path.join(logDir, 's3.log'),
    });
    processes.push(s3);
    const cognito = startProcess('cognito', node, [path.join(__dirname, 'cognito-server.cjs')], {
      cwd: stateDir,
      env: {
        ...baseEnv,
        NODE_PATH: path.join(ROOT, 'node_modules'),
        PORT: String(ports.cognito),
        HOST: '127.0.0.1',
        TG_MAIL_DIR: mailDir,
        TG_TRIGGER_LOG: path.join(logDir, 'cognito-triggers.jsonl'),
      },
      logFile: path.join(logDir, 'cognito.log'),
    });
    processes.push(cognito);
    // Domain verification's TXT records: a test stack starts with an empty zone, `npm start` keeps its records.
    const zoneFile = path.join(stateDir, 'dns', 'zone.json');
    if (!options.persist || !fs.existsSync(zoneFile)) writeZone(zoneFile, { txt: {} });
    const dns = startProcess('dns', node, [path.join(__dirname, 'dns-server.cjs')], {
      cwd: ROOT,
      env: { ...baseEnv, TG_DNS_PORT: String(ports.dns), TG_DNS_ZONE: zoneFile },
      logFile: path.join(logDir, 'dns.log'),
    });
    processes.push(dns);

    const dynamodbEndpoint = `http://127.0.0.1:${ports.dynamodb}`;
    const cognitoEndpoint = `http://127.0.0.1:${ports.cognito}`;
    const s3Endpoint = `http://127.0.0.1:${ports.s3}`;
    await Promise.all([
      waitForPort(ports.dynamodb, 60_000),
      waitForPort(ports.s3, 30_000),
      waitForPort(ports.dns, 30_000),
      waitForHttp(`${cognitoEndpoint}/health`, 30_000, cognito),
    ]);

    // After the emulator, whose /oauth2/idpresponse is the provider's redirect URI.
    oidcIdp = await startOidcIdp({
      port: ports.oidc,
      redirectUri: `${cognitoEndpoint}/oauth2/idpresponse`,
      secretSeed: oidcSecretSeed(stateDir, options.persist),
    });

    progress('creating the table and the user pool');
    const poolFile = path.join(stateDir, 'pool.json');
    const [pool] = await Promise.all([
      // The client's callback and logout URLs: serverless.yml's local webOrigin (TG_WEB_ORIGIN, else its default).
      ensureUserPool(cognitoEndpoint, REGION, options.persist ? readJson<LocalPool>(poolFile) : undefined, webUrl ?? LOCAL_WEB_ORIGIN),
      ensureTable(dynamodbEndpoint, REGION, TABLE_NAME),
    ]);
    fs.writeFileSync(poolFile, JSON.stringify(pool, null, 2));
    const issuer = `${cognitoEndpoint}/${pool.userPoolId}`;
    identityPool = await startIdentityServer({
      port: ports.identity,
      region: REGION,
      stateDir,
      persist: options.persist,
      userPool: { issuer, userPoolId: pool.userPoolId, clientIds: [pool.clientId] },
    });

    progress('building the functions and starting serverless-offline');
    const api = startProcess('api', node, [path.join(ROOT, 'node_modules/osls/bin/serverless.js'), 'offline', 'start', '--stage', STAGE], {
      cwd: ROOT,
      env: {
        ...baseEnv,
        SLS_TELEMETRY_DISABLED: '1',
        SLS_NOTIFICATIONS_MODE: 'off',
        SLS_DEPRECATION_DISABLE: '*',
        TG_BUILD_DIR: options.buildDir ?? '.esbuild',
        // serverless.yml's esbuild watch pattern: a path that never exists watches nothing.
        TG_WATCH_PATTERN: options.watch === false ? './.no-watch/*.never' : './src/**/*.ts',
        TG_API_PORT: String(ports.api),
        TG_LAMBDA_PORT: String(ports.lambda),
        TG_USER_POOL_ID: pool.userPoolId,
        TG_APP_CLIENT_IDS: pool.clientId,
        TG_LOCAL_TOKEN_ISSUER: issuer,
        TG_DYNAMODB_ENDPOINT: dynamodbEndpoint,
        TG_S3_ENDPOINT: s3Endpoint,
        TG_COGNITO_ENDPOINT: cognitoEndpoint,
        TG_COGNITO_IDENTITY_ENDPOINT: identityPool.endpoint,
        TG_IDENTITY_POOL_ID: identityPool.identityPoolId,
        TG_MAIL_DIR: mailDir,
        TG_DNS_SERVERS: `127.0.0.1:${ports.dns}`,
        // List cursors are sealed with this; a new one each start only ends old cursors.
        TG_LOCAL_CURSOR_SECRET: randomBytes(32).toString('base64url'),
        // Invite links (APP_URL) open the web app where this stack serves it.
        ...(webUrl ? { TG_WEB_ORIGIN: webUrl } : {}),
      },
      logFile: path.join(logDir, 'api.log'),
      echo: options.echoApi,
    });
    processes.push(api);
    // Built while serverless-offline builds the functions.
    const webBuild = options.web
      ? ensureWebBuild(path.join(logDir, 'web-build.log'), (m) => processes.push(m)).then((result) => {
          if (result === 'built') progress('built the web app (web/dist)');
        })
      : undefined;
    // Awaited below; until then a failed build must not be an unhandled rejection.
    webBuild?.catch(() => {});
    await waitForHttp(`http://127.0.0.1:${ports.api}/health`, 120_000, api);
    await waitForPort(ports.lambda, 10_000);

    const info: StackInfo = {
      region: REGION,
      apiUrl: `http://localhost:${ports.api}`,
      cognito: { endpoint: cognitoEndpoint, userPoolId: pool.userPoolId, clientId: pool.clientId },
      identityPool: { endpoint: identityPool.endpoint, identityPoolId: identityPool.identityPoolId },
      dynamodb: { endpoint: dynamodbEndpoint },
      s3: { endpoint: s3Endpoint, bucket: BUCKET_NAME },
      oidcIdp: { issuer: oidcIdp.issuer, clients: oidcIdp.clients },
      dns: { server: `127.0.0.1:${ports.dns}`, zoneFile },
    };
    if (options.web) {
      await webBuild;
      const { region, apiUrl, cognito } = info;
      web = await serveWebApp({ port: options.web.port, config: { region, apiUrl, cognito }, s3Endpoint });
      info.webUrl = web.url;
    }
    fs.writeFileSync(path.join(stateDir, 'stack.json'), `${JSON.stringify(info, null, 2)}\n`);
    return {
      info,
      processes,
      stop: async () => {
        fs.rmSync(path.join(stateDir, 'stack.json'), { force: true });
        await stop();
      },
    };
  } catch (err) {
    await stop();
    throw err;
  }
};
