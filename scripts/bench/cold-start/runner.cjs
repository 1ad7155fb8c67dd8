// Spawned fresh for each cold-start sample: loads one bundle, serves one
// event, writes one JSON line to fd 3 (stdout is the function's log) and
// exits. Plain CommonJS, so nothing but Node itself runs before the bundle.
const fs = require('node:fs');
const { performance } = require('node:perf_hooks');

const [bundle, exportName, eventJson] = process.argv.slice(2);
const loadStart = performance.now();
const mod = require(bundle);
const loaded = performance.now();
const context = {
  callbackWaitsForEmptyEventLoop: false,
  functionName: 'bench-cold-start',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:bench-cold-start',
  memoryLimitInMB: '512',
  awsRequestId: 'bench-cold-start',
  logGroupName: '/aws/lambda/bench-cold-start',
  logStreamName: 'bench',
  getRemainingTimeInMillis: () => 10_000,
};
const report = (outcome) => {
  const done = performance.now();
  fs.writeSync(3, `${JSON.stringify({ outcome, startupMs: loadStart, loadMs: loaded - loadStart, invokeMs: done - loaded })}\n`);
  process.exit(0);
};
Promise.resolve()
  .then(() => mod[exportName](JSON.parse(eventJson), context))
  .then(
    (res) => report(res && typeof res === 'object' && 'statusCode' in res ? res.statusCode : 'ok'),
    () => report('error'),
  );
