// S3 event notifications for the local stack. s3rver emits an 'event' for each
// object it stores but sends none; this delivers ObjectCreated under a prefix to
// a function through serverless-offline's Lambda endpoint, as the bucket's
// NotificationConfiguration does on AWS (resources/s3.yml): every ObjectCreated event
// (Put, Post, Copy and CompleteMultipartUpload, named as S3 names them: patches/s3rver…),
// the same event shape (key URL-encoded, one record per invocation), and on failure two retries, like
// Lambda's asynchronous invocation (MaximumRetryAttempts in resources/ingest-failures.yml),
// only sooner. Both the count and the wait matter: the ingest counts its attempts and gives
// up on the last one Lambda makes, and takes a start within ATTEMPT_SPACING_MS (10 s) of the
// previous one for a duplicate delivery, not a retry (src/lib/files/ingest-attempts.ts).
// Where AWS then hands the event to the failure queue, this logs it: there is no SQS here.
const RETRY_DELAYS_MS = [15_000, 30_000];

/** S3 URL-encodes keys in notifications, with `+` for a space. */
const encodeKey = (key) => encodeURIComponent(key).replace(/%20/g, '+').replace(/%2F/g, '/');

/** The notification AWS sends for one stored object, from s3rver's record of it. */
const toAwsEvent = (record, region) => ({
  Records: [
    {
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: region,
      eventTime: record.eventTime,
      eventName: record.eventName,
      userIdentity: { principalId: 'AWS:S3RVER' },
      requestParameters: { sourceIPAddress: record.requestParameters?.sourceIPAddress ?? '127.0.0.1' },
      responseElements: record.responseElements ?? {},
      s3: {
        s3SchemaVersion: '1.0',
        configurationId: 'ingest-uploads',
        bucket: {
          name: record.s3.bucket.name,
          ownerIdentity: { principalId: 'S3RVER' },
          arn: `arn:aws:s3:::${record.s3.bucket.name}`,
        },
        object: {
          key: encodeKey(record.s3.object.key),
          size: record.s3.object.size,
          ...(record.s3.object.eTag ? { eTag: record.s3.object.eTag } : {}),
          sequencer: record.s3.object.sequencer,
        },
      },
    },
  ],
});

const invoke = async (url, event) => {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-amz-invocation-type': 'RequestResponse' },
    body: JSON.stringify(event),
  });
  const text = await res.text();
  if (!res.ok || res.headers.get('x-amz-function-error')) throw new Error(`${res.status} ${text.slice(0, 500)}`);
};

/**
 * Subscribes to the s3rver instance's events. Options: lambdaEndpoint
 * (http://127.0.0.1:<port>), functionName, bucket, prefix, region, log.
 */
exports.notifyObjectCreated = (server, options) => {
  const url = `${options.lambdaEndpoint}/2015-03-31/functions/${encodeURIComponent(options.functionName)}/invocations`;
  const log = options.log ?? ((line) => process.stdout.write(`${line}\n`));

  const deliver = async (event) => {
    const key = event.Records[0].s3.object.key;
    for (let attempt = 0; ; attempt++) {
      try {
        await invoke(url, event);
        log(`notified ${options.functionName} of ${key}`);
        return;
      } catch (err) {
        if (attempt >= RETRY_DELAYS_MS.length) {
          log(`gave up notifying ${options.functionName} of ${key} (on AWS: to the failure queue): ${err.message}`);
          return;
        }
        log(`notifying ${options.functionName} of ${key} failed (${err.message}); retrying`);
        await new Promise((resolve) => setTimeout(resolve, RETRY_DELAYS_MS[attempt]));
      }
    }
  };

  server.on('event', (s3rverEvent) => {
    for (const record of s3rverEvent.Records ?? []) {
      if (!record.eventName?.startsWith('ObjectCreated:')) continue;
      if (record.s3?.bucket?.name !== options.bucket || !record.s3.object.key.startsWith(options.prefix)) continue;
      // Asynchronous, like S3: the upload's response does not wait for the function.
      void deliver(toAwsEvent(record, options.region));
    }
  });
};
