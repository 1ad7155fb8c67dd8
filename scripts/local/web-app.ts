import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { type Managed, startProcess } from './processes';

/**
 * The web app on the local stack: built with Vite when web/dist is missing or
 * older than its sources, then served as static files by a small node:http
 * server with `/config.json` made from the stack's own endpoints (one build
 * serves every stage; README "Host the web app").
 */
export const WEB_DIR = path.resolve(__dirname, '../../web');
const DIST_DIR = path.join(WEB_DIR, 'dist');
const STAMP = '.build-stamp';
/** What a build reads besides web/: the typed API client and the installed packages. */
const EXTRA_INPUTS = [path.resolve(WEB_DIR, '../client'), path.resolve(WEB_DIR, '../package-lock.json')];

export type WebConfig = { region: string; apiUrl: string; cognito: { endpoint: string; userPoolId: string; clientId: string } };

const newestMtime = (entry: string): number => {
  const stat = fs.statSync(entry, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  const base = path.basename(entry);
  if (entry === DIST_DIR || base === 'node_modules' || base.startsWith('.dist-')) return 0;
  return Math.max(0, ...fs.readdirSync(entry).map((name) => newestMtime(path.join(entry, name))));
};

const sourcesMtime = (): number => Math.max(newestMtime(WEB_DIR), ...EXTRA_INPUTS.map(newestMtime));

const builtFrom = (): number => {
  try {
    return Number(fs.readFileSync(path.join(DIST_DIR, STAMP), 'utf8'));
  } catch {
    return -1;
  }
};

/**
 * Builds web/dist unless it is current. The build goes to a folder of its own
 * and is then swapped in, so a stack serving the old build (`npm start` beside
 * the browser test) never reads a half-written one. `track` lets the stack
 * stop a build still running when it stops.
 */
export const ensureWebBuild = async (logFile: string, track: (m: Managed) => void): Promise<'built' | 'current'> => {
  const inputs = sourcesMtime();
  if (builtFrom() >= inputs) return 'current';
  const out = path.join(WEB_DIR, `.dist-${process.pid}-${Date.now()}`);
  const vite = path.resolve(WEB_DIR, '../node_modules/vite/bin/vite.js');
  const build = startProcess(
    'web-build',
    process.execPath,
    [vite, 'build', '--config', path.join(WEB_DIR, 'vite.config.mts'), '--outDir', out, '--emptyOutDir', '--logLevel', 'warn'],
    { cwd: WEB_DIR, env: { PATH: process.env.PATH, HOME: process.env.HOME, VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' }, logFile },
  );
  track(build);
  await build.exited;
  if (build.child.exitCode !== 0) {
    fs.rmSync(out, { recursive: true, force: true });
    throw new Error(`The web app did not build (exit ${build.child.exitCode}); see ${logFile}`);
  }
  fs.writeFileSync(path.join(out, STAMP), String(inputs));
  const old = `${out}-old`;
  try {
    fs.renameSync(DIST_DIR, old);
  } catch {
    // none yet, or another stack is swapping its build in right now
  }
  try {
    fs.renameSync(out, DIST_DIR);
  } catch {
    // Another stack swapped its build in first: the same sources, so keep that one.
    fs.rmSync(out, { recursive: true, force: true });
  }
  fs.rmSync(old, { recursive: true, force: true });
  return 'built';
};

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

const origin = (url: string): string => new URL(url).origin;

/** What a static host should send with the app; a deployed stage sets the same on its CDN (README). */
const securityHeaders = (config: WebConfig, s3Endpoint: string): Record<string, string> => ({
  'content-security-policy': [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    // The API, Cognito, and S3 for the presigned upload (the download is a navigation, not a fetch).
    `connect-src 'self' ${origin(config.apiUrl)} ${origin(config.cognito.endpoint)} ${origin(s3Endpoint)}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; '),
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
});

export type WebServer = { url: string; close: () => Promise<void> };
type ServeOptions = { port: number; config: WebConfig; s3Endpoint: string; distDir?: string };

/**
 * Serves web/dist on 127.0.0.1:`port` (announced as localhost, the origin
 * invite links use): files as they are, `/config.json` from the stack, and
 * index.html for any other path without an extension (the app routes itself:
 * `/sign-up?…` from an invite email).
 */
export const serveWebApp = ({ port, config, s3Endpoint, distDir = DIST_DIR }: ServeOptions): Promise<WebServer> => {
  const headers = securityHeaders(config, s3Endpoint);
  const configBody = JSON.stringify(config);
  const server = http.createServer((req, res) => {
    const send = (status: number, type: string, body: string | Buffer, cache: string) => {
      res.writeHead(status, { ...headers, 'content-type': type, 'cache-control': cache, 'content-length': Buffer.byteLength(body) });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'text/plain', 'Method Not Allowed', 'no-store');
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    } catch {
      return send(400, 'text/plain', 'Bad Request', 'no-store');
    }
    if (pathname === '/config.json') return send(200, 'application/json', configBody, 'no-store');
    const file = path.join(distDir, path.normalize(pathname));
    if (!file.startsWith(`${distDir}${path.sep}`) || path.basename(file).startsWith('.'))
      return send(404, 'text/plain', 'Not Found', 'no-store');
    const ext = path.extname(file);
    const target = fs.statSync(file, { throwIfNoEntry: false })?.isFile()
      ? file
      : ext === ''
        ? path.join(distDir, 'index.html')
        : undefined;
    if (!target || !fs.existsSync(target)) return send(404, 'text/plain', 'Not Found', 'no-store');
    // Hashed asset names change with their content; index.html must be asked for again each time.
    const cache = target.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache';
    send(200, TYPES[path.extname(target)] ?? 'application/octet-stream', fs.readFileSync(target), cache);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host: '127.0.0.1' }, () =>
      resolve({
        url: `http://localhost:${port}`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            // A browser's keep-alive connections would hold the port open.
            server.closeAllConnections();
          }),
      }),
    );
  });
};
