// `npm start`: the whole local stack on this machine, no AWS account, no Docker.
// `npm start -- --reset` starts from empty state.
import fs from 'node:fs';
import path from 'node:path';
import { defaultPorts, defaultWebPort, ROOT, startStack } from './stack';

const main = async () => {
  const stateDir = path.resolve(process.env.TG_STATE_DIR ?? path.join(ROOT, '.local'));
  if (process.argv.includes('--reset')) fs.rmSync(stateDir, { recursive: true, force: true });
  fs.mkdirSync(stateDir, { recursive: true });
  const started = Date.now();
  const stack = await startStack({
    stateDir,
    ports: defaultPorts(process.env),
    web: { port: defaultWebPort(process.env) },
    persist: true,
    echoApi: true,
    onProgress: (m) => console.log(`… ${m}`),
  });
  const { info } = stack;
  console.log(`
Tenantgate local stack is ready (${((Date.now() - started) / 1000).toFixed(1)} s)

  Web app       ${info.webUrl}
  API           ${info.apiUrl}
  Cognito       ${info.cognito.endpoint}  pool ${info.cognito.userPoolId}  client ${info.cognito.clientId}
  Identity Pool ${info.identityPool.endpoint}  pool ${info.identityPool.identityPoolId}
  DynamoDB      ${info.dynamodb.endpoint}  table tenantgate-local
  S3            ${info.s3.endpoint}  bucket ${info.s3.bucket}
  DNS           ${info.dns.server}  TXT records: npm run dns -- txt <name> <value>  (zone ${path.relative(process.cwd(), info.dns.zoneFile)})
  Mail          ${path.relative(process.cwd(), path.join(stateDir, 'mail'))}/  (verification codes, invites)
  Stack file    ${path.relative(process.cwd(), path.join(stateDir, 'stack.json'))}
  Logs          ${path.relative(process.cwd(), path.join(stateDir, 'logs'))}/

Create a tenant:  npm run tenants -- create --name "Acme" --owner owner@acme.test
                  then open the sign-up link of the invite email in ${path.relative(process.cwd(), path.join(stateDir, 'mail'))}/
Press Ctrl-C to stop.`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the local stack…`);
    await stack.stop();
    console.log('Stopped.');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGHUP', () => void shutdown('SIGHUP'));
};

main().catch((err: unknown) => {
  console.error(`\nThe local stack did not start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
