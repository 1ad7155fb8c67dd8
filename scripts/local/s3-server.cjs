// Runs s3rver on loopback with the uploads bucket and its CORS rules. Needs
// node --openssl-legacy-provider (s3rver's paged listing uses a legacy cipher).
// Env: TG_S3_PORT, TG_S3_DIR, TG_BUCKET; with TG_LAMBDA_PORT and TG_INGEST_FUNCTION,
// ObjectCreated under tenants/ is delivered to that function (./s3-notifier.cjs).
// With TG_IDENTITY_DIR (the local Identity Pool's state, scripts/local/identity-store.ts),
// requests signed with its temporary credentials are accepted and authorized by the
// authenticated role's policy (./s3-authorizer.ts), as S3 does with the role's session.
const fs = require('node:fs');
const path = require('node:path');
const S3rver = require('s3rver');
const { notifyObjectCreated } = require('./s3-notifier.cjs');
const { sessionCredentialsFrom } = require('./session-credentials.cjs');

const port = Number(process.env.TG_S3_PORT ?? 4569);
const directory = process.env.TG_S3_DIR;
const bucket = process.env.TG_BUCKET;
if (!directory || !bucket) throw new Error('TG_S3_DIR and TG_BUCKET are required');
fs.mkdirSync(directory, { recursive: true });

const cors = `<CORSConfiguration>
  <CORSRule>
    <AllowedOrigin>*</AllowedOrigin>
    <AllowedMethod>PUT</AllowedMethod>
    <AllowedMethod>GET</AllowedMethod>
    <AllowedMethod>POST</AllowedMethod>
    <AllowedMethod>DELETE</AllowedMethod>
    <AllowedMethod>HEAD</AllowedMethod>
    <AllowedHeader>*</AllowedHeader>
    <ExposeHeader>ETag</ExposeHeader>
    <MaxAgeSeconds>600</MaxAgeSeconds>
  </CORSRule>
</CORSConfiguration>`;

const server = new S3rver({
  address: '127.0.0.1',
  port,
  directory,
  silent: true,
  configureBuckets: [{ name: bucket, configs: [cors] }],
});

const identityDir = process.env.TG_IDENTITY_DIR;
if (identityDir) {
  server.sessionCredentials = sessionCredentialsFrom(path.join(identityDir, 'credentials.json'));
  let authorizer;
  // Loaded on the first request with such credentials: TypeScript (through tsx) and the
  // IAM simulator cost nothing at start-up, and the pool's id exists by then.
  const loadAuthorizer = () => {
    require('tsx/cjs/api').register();
    const { createS3Authorizer, localRolePolicies } = require('./s3-authorizer.ts');
    const { identityPoolId } = JSON.parse(fs.readFileSync(path.join(identityDir, 'pool.json'), 'utf8'));
    const region = process.env.AWS_REGION ?? 'eu-west-1';
    return createS3Authorizer(localRolePolicies({ bucket, identityPoolId, region }), identityPoolId);
  };
  server.authorizeSession = async (ctx, principal) => {
    authorizer ??= loadAuthorizer();
    const { params } = ctx;
    const request = { method: ctx.method, bucket: params.bucket, key: params.key, query: ctx.query, headers: ctx.headers };
    const decision = await authorizer(request, principal);
    if (!decision.allowed) process.stdout.write(`denied ${principal.identityId}: ${decision.explain}\n`);
    return decision.allowed;
  };
}

if (process.env.TG_LAMBDA_PORT && process.env.TG_INGEST_FUNCTION) {
  notifyObjectCreated(server, {
    lambdaEndpoint: `http://127.0.0.1:${process.env.TG_LAMBDA_PORT}`,
    functionName: process.env.TG_INGEST_FUNCTION,
    bucket,
    prefix: 'tenants/',
    region: process.env.AWS_REGION ?? 'eu-west-1',
  });
}

server
  .run()
  .then(({ address, port: bound }) => {
    process.stdout.write(`s3rver listening on ${address}:${bound}\n`);
    const stop = () => server.close().then(() => process.exit(0));
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  })
  .catch((err) => {
    process.stderr.write(`s3rver failed to start: ${err?.message ?? err}\n`);
    process.exit(1);
  });
