import * as z from 'zod';
import { ENV, emptyAsUndefined, runsOnLocalStack } from '../env-names';
import { type CursorCodec, createCursorCodec } from './cursor';

/**
 * Where the cursor key comes from: on AWS a Secrets Manager secret generated
 * by the stack (read once per container, on first use); on the local stack a
 * random value `npm start` passes in. A plain-text key is refused outside the
 * local stack, so no deployed stage runs with a key from its environment.
 */
const schema = z.object({
  [ENV.cursorSecretArn]: z.preprocess(emptyAsUndefined, z.string().startsWith('arn:').optional()),
  [ENV.localCursorSecret]: z.preprocess(emptyAsUndefined, z.string().min(32).optional()),
});

const parsed = schema.parse(process.env);

const load = async (): Promise<CursorCodec> => {
  const local = parsed[ENV.localCursorSecret];
  if (local) {
    if (!runsOnLocalStack(process.env)) {
      throw new Error('A plain-text cursor secret is only accepted on the local stack.');
    }
    return createCursorCodec(local);
  }
  const arn = parsed[ENV.cursorSecretArn];
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
