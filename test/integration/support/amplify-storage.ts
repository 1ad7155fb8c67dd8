import { Amplify } from 'aws-amplify';
import { stack } from './stack';

/**
 * aws-amplify v6 with Auth (user pool and Identity Pool) and Storage, against
 * the local stack.
 *
 * Auth takes the local endpoints as configuration (userPoolEndpoint,
 * identityPoolEndpoint). Storage does not: its public configuration is a
 * bucket and a region, always reached at https://<bucket>.s3.<region>.amazonaws.com;
 * its only override, `dangerouslyConnectToHttpEndpointForTesting` (internal, a
 * fixed http://localhost:20005), fails its own endpoint check in
 * @aws-amplify/storage 6.17.0 (InvalidCustomEndpoint). So Storage is configured
 * exactly as for AWS, and its requests for the bucket's AWS host are routed to
 * the local S3 underneath Amplify, where a hosts-file entry and a TLS
 * terminator would: the request, its Host header and its SigV4 signature stay
 * what Amplify made (the local S3 serves virtual-hosted requests for that host).
 */
export const configureAmplifyStorage = (): void =>
  Amplify.configure({
    Auth: {
      Cognito: {
        userPoolId: stack.cognito.userPoolId,
        userPoolClientId: stack.cognito.clientId,
        userPoolEndpoint: stack.cognito.endpoint,
        identityPoolId: stack.identityPool.identityPoolId,
        identityPoolEndpoint: stack.identityPool.endpoint,
        allowGuestAccess: false,
      },
    },
    Storage: { S3: { bucket: stack.s3.bucket, region: stack.region } },
  });

type Headers = Record<string, string | string[] | undefined> | string[] | Iterable<[string, string]> | null | undefined;
type DispatchOptions = { origin?: string | URL; headers?: Headers; [option: string]: unknown };
type Dispatcher = { dispatch: (options: DispatchOptions, handler: unknown) => boolean };

// Node's fetch (undici) takes its connections from the dispatcher under this global symbol.
const GLOBAL_DISPATCHER = Symbol.for('undici.globalDispatcher.1');
const globals = globalThis as unknown as Record<symbol, Dispatcher | undefined>;

/** The same headers with `host` set (undici sends it as given instead of the origin's). */
const withHost = (headers: Headers, host: string): Record<string, string | string[]> => {
  const out: Record<string, string | string[]> = {};
  if (Array.isArray(headers) && typeof headers[0] === 'string') {
    for (let i = 0; i + 1 < headers.length; i += 2) out[String(headers[i]).toLowerCase()] = String(headers[i + 1]);
  } else if (headers && Symbol.iterator in Object(headers)) {
    for (const [name, value] of headers as Iterable<[string, string]>) out[name.toLowerCase()] = value;
  } else if (headers) {
    for (const [name, value] of Object.entries(headers)) if (value !== undefined) out[name.toLowerCase()] = value;
  }
  out.host = host;
  return out;
};

/**
 * Routes this process's fetch requests for the bucket's AWS endpoint to the
 * local S3 (plain http on loopback) until the returned function is called.
 */
export const routeBucketEndpointToLocalS3 = async (
  /** Told `<METHOD> <path and query>` of each routed request (which S3 operations Amplify made). */
  onRequest: (request: string) => void = () => {},
): Promise<() => void> => {
  // Node creates its global dispatcher with the first fetch.
  await fetch(`${stack.s3.endpoint}/`).catch(() => undefined);
  const original = globals[GLOBAL_DISPATCHER];
  if (!original) throw new Error("Node's fetch has no global dispatcher to route through");
  const awsHost = `${stack.s3.bucket}.s3.${stack.region}.amazonaws.com`;
  const local = new URL(stack.s3.endpoint).origin;
  const dispatch = (options: DispatchOptions, handler: unknown): boolean => {
    const origin = new URL(String(options.origin));
    if (origin.protocol !== 'https:' || origin.hostname !== awsHost) return original.dispatch(options, handler);
    onRequest(`${String(options.method)} ${String(options.path)}`);
    return original.dispatch({ ...options, origin: local, headers: withHost(options.headers, origin.host) }, handler);
  };
  globals[GLOBAL_DISPATCHER] = new Proxy(original, {
    get: (target, property) => {
      if (property === 'dispatch') return dispatch;
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return () => {
    globals[GLOBAL_DISPATCHER] = original;
  };
};

/**
 * The part of the browser's FileReader Amplify Storage uses (readAsArrayBuffer
 * of a Blob): its multipart upload reads each chunk, and the hash of its
 * options, with it (@aws-amplify/storage client/utils/readFile), and Node 20
 * has Blob but no FileReader. Browsers and React Native, where apps run
 * Amplify, have it. Returns a function that removes it again.
 */
export const provideFileReader = (): (() => void) => {
  const globals = globalThis as Record<string, unknown>;
  if (globals.FileReader !== undefined) return () => {};
  class NodeFileReader {
    static readonly DONE = 2;
    readyState = 0;
    result: ArrayBuffer | null = null;
    error: unknown = null;
    onload: (() => void) | null = null;
    onerror: (() => void) | null = null;
    onabort: (() => void) | null = null;
    readAsArrayBuffer(blob: Blob): void {
      blob.arrayBuffer().then(
        (buffer) => {
          this.result = buffer;
          this.readyState = NodeFileReader.DONE;
          this.onload?.();
        },
        (err: unknown) => {
          this.error = err;
          this.readyState = NodeFileReader.DONE;
          this.onerror?.();
        },
      );
    }
  }
  globals.FileReader = NodeFileReader;
  return () => {
    delete globals.FileReader;
  };
};
