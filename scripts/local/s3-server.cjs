// Runs s3rver on loopback with the uploads bucket and its CORS rules. Needs
// node --openssl-legacy-provider (s3rver's paged listing uses a legacy cipher).
// Env: TG_S3_PORT, TG_S3_DIR, TG_BUCKET; with TG_LAMBDA_PORT and TG_INGEST_FUNCTION,
// ObjectCreated under tenants/ is delivered to that function (./s3-notifier.cjs).
const fs = require('node:fs');
const S3rver = require('s3rver');
const { notifyObjectCreated } = require('./s3-notifier.cjs');

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
