import { stackPorts } from './stack';

/**
 * Invokes a deployed-name function through serverless-offline's Lambda
 * endpoint, as Cognito (or the emulator) does: the real handler, bundled.
 */
export const invokeFunction = async (name: string, event: unknown): Promise<{ ok: boolean; payload: unknown }> => {
  const res = await fetch(`http://127.0.0.1:${stackPorts.lambda}/2015-03-31/functions/tenantgate-local-${name}/invocations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(event),
  });
  // Triggers answer their event; an S3-triggered function answers nothing.
  const text = await res.text();
  const payload = text ? (JSON.parse(text) as unknown) : undefined;
  const functionError = res.headers.get('x-amz-function-error');
  return { ok: res.ok && !functionError, payload };
};
