import http from 'node:http';
import { stack } from './stack';

/**
 * One request to the local API exactly as given, where fetch would not send
 * it: the path as written (no normalisation of `..` or `%2F`), the header
 * lines in order, unmerged and untrimmed (two Authorization lines stay two),
 * the body as raw bytes (fetch re-encodes text as UTF-8 and refuses a GET body).
 */
export type HeaderLines = [name: string, value: string][];
export type RawRequest = { method: string; path: string; headers: HeaderLines; body?: Buffer | string };
export type RawAnswer = {
  /** 0 when the server closed the connection without an answer (with `dropped: 'answer'`). */
  status: number;
  header: (name: string) => string | undefined;
  contentType: string;
  text: string;
  /** The body parsed as JSON; undefined when it is empty or not JSON. */
  body: unknown;
  ms: number;
};

export class NoAnswerError extends Error {}

const parsed = (text: string): unknown => {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
};

/**
 * Sends `req` and resolves its answer. A request not answered within
 * `timeoutMs` fails with NoAnswerError; a dropped connection fails too, unless
 * `dropped` is `'answer'`: then it is the answer with status 0 (what an
 * oversize header may get). `localAddress` (a loopback address such as
 * `127.0.0.2`) is the source address the API sees, as API Gateway's `sourceIp`.
 */
export const sendRaw = (
  req: RawRequest,
  options: { timeoutMs?: number; dropped?: 'fail' | 'answer'; localAddress?: string } = {},
): Promise<RawAnswer> => {
  const url = new URL(stack.apiUrl);
  const body = typeof req.body === 'string' ? Buffer.from(req.body) : req.body;
  const lines: HeaderLines = [['Host', url.host], ...req.headers];
  if (body !== undefined) lines.push(['Content-Length', String(body.length)]);
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        // A loopback source address needs an IPv4 destination: `localhost` may resolve to ::1.
        host: options.localAddress ? '127.0.0.1' : url.hostname,
        port: url.port,
        method: req.method,
        path: req.path,
        headers: lines.flat(),
        agent: false,
        ...(options.localAddress ? { localAddress: options.localAddress } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const header = (name: string) => {
            const value = res.headers[name.toLowerCase()];
            return value === undefined ? undefined : String(value);
          };
          resolve({
            status: res.statusCode ?? 0,
            header,
            contentType: header('content-type') ?? '',
            text,
            body: parsed(text),
            ms: Date.now() - started,
          });
        });
        res.on('error', reject);
      },
    );
    if (options.timeoutMs !== undefined) {
      const ms = options.timeoutMs;
      request.setTimeout(ms, () => request.destroy(new NoAnswerError(`no answer within ${ms} ms`)));
    }
    request.on('error', (err) => {
      if (options.dropped === 'answer' && !(err instanceof NoAnswerError)) {
        resolve({ status: 0, header: () => undefined, contentType: '', text: '', body: undefined, ms: Date.now() - started });
      } else reject(err);
    });
    request.end(body);
  });
};
