import * as z from 'zod';
import { ENV, runsOnLocalStack } from '../env-names';
import { optional, readConfig } from '../read-config';
import { type CursorCodec, createCursorCodec } from './cursor';

/**
 * Where the cursor key comes from: on AWS a Secrets Manager secret generated
 * by the stack (read once per container, on first use); on the local stack a
 * random value `npm start` passes in. A plain-text key is refused outside the
 * local stack, so no deployed stage runs with a key from its environment.
 */
export const parseCursorConfig = (env: NodeJS.ProcessEnv) =>
  readConfig(
    'cursor',
    z
      .object({
        [ENV.cursorSecretArn]: optional(z.string().startsWith('arn:')),
        [ENV.localCursorSecret]: optional(z.string().min(32)),
      })
      .transform((c) => ({ secretArn: c[ENV.cursorSecretArn], localSecret: c[ENV.localCursorSecret] }))
      // Checked at load, not at the first list request: a stage without a key fails its cold start.
      .refine(
        (c) => c.secretArn !== undefined || c.localSecret !== undefined,
        `needs ${ENV.cursorSecretArn} (or, locally, ${ENV.localCursorSecret})`,
      )
      .refine(
        (c) => c.localSecret === undefined || runsOnLocalStack(env),
        'a plain-text cursor secret is only accepted on the local stack',
      ),
    env,
  );

const cursorConfig = parseCursorConfig(process.env);

const load = async (): Promise<CursorCodec> => {
  if (cursorConfig.localSecret) return createCursorCodec(cursorConfig.localSecret);
  const arn = cursorConfig.secretArn;
  if (!arn) throw new Error(`${ENV.cursorSecretArn} is not configured.`);
  // Loaded on first use, once per container: the client costs cold-start time and the local stack never needs it.
  const { GetSecretValueCommand, SecretsManagerClient } = await import('@aws-sdk/client-secrets-manager');
  const client = new SecretsManagerClient({});
  const out = await client.send(new GetSecretValueCommand({ SecretId: arn }));
  if (!out.SecretString) throw new Error('The cursor secret is empty.');
  return createCursorCodec(out.SecretString);
};

let codec: Promise<CursorCodec> | undefined;

export const cursorCodec = (): Promise<CursorCodec> => {
  codec ??= load().catch((err: unknown) => {
    codec = undefined; // try again on the next request rather than fail the container forever
    throw err;
  });
  return codec;
};
