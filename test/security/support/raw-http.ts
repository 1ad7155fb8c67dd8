import http from 'node:http';
import { stack } from '../../integration/support/stack';

/**
 * One request exactly as given: the path is sent as written (no URL
 * normalisation of `..` or `%2F`), the header lines in order and unmerged, the
 * body as raw bytes (fetch would re-encode it as UTF-8 and refuse a GET body).
 */
export type RawRequest = { method: string; path: string; headers: [string, string][]; body?: Buffer };
export type RawAnswer = { status: number; contentType: string; text: string; ms: number };

export class NoAnswerError extends Error {}

export const sendRaw = (req: RawRequest, timeoutMs: number): Promise<RawAnswer> => {
  const url = new URL(stack.apiUrl);
  const lines: [string, string][] = [['Host', url.host], ...req.headers];
  if (req.body !== undefined) lines.push(['Content-Length', String(req.body.length)]);
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: url.hostname, port: url.port, method: req.method, path: req.path, headers: lines.flat(), agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            contentType: String(res.headers['content-type'] ?? ''),
            text: Buffer.concat(chunks).toString('utf8'),
            ms: Date.now() - started,
          }),
        );
        res.on('error', reject);
      },
    );
    request.setTimeout(timeoutMs, () => request.destroy(new NoAnswerError(`no answer within ${timeoutMs} ms`)));
    request.on('error', reject);
    request.end(req.body);
  });
};
