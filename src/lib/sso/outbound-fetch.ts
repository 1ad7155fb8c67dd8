import { lookup as dnsLookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { type AddressPolicy, addressAllowed } from './address-guard';

/**
 * One GET of an identity provider's document (OIDC discovery, SAML metadata),
 * on a tenant's say-so, so bounded: a total deadline across redirects, a body
 * cap, few redirects, https only on AWS, and no connection to anything but a
 * public address. The host is resolved once, every address checked, and the
 * socket connects to a checked address (the request's `lookup`), so a DNS
 * answer that changes between check and connect (rebinding) changes nothing.
 */

export type FetchLimits = { timeoutMs: number; maxBytes: number; maxRedirects: number };
export const FETCH_LIMITS: FetchLimits = { timeoutMs: 3_000, maxBytes: 256 * 1024, maxRedirects: 3 };

export type Resolved = { address: string; family: number };
export type Resolver = (host: string) => Promise<Resolved[]>;

export type FetchOptions = {
  /** The local stack: http to loopback is allowed too. */
  local: boolean;
  limits?: Partial<FetchLimits>;
  /** For tests; the system resolver otherwise. */
  resolve?: Resolver;
  accept?: string;
};

export type Fetched = { status: number; contentType: string | undefined; body: string };

/** Why a fetch was refused or failed, in words a tenant's owner can act on (no internal detail). */
export class OutboundFetchError extends Error {
  constructor(
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(reason, options);
    this.name = 'OutboundFetchError';
  }
}

const systemResolver: Resolver = (host) => dnsLookup(host, { all: true, verbatim: true });

/** https always; http only on the local stack, and then only to loopback. */
const policyFor = (url: URL, local: boolean): AddressPolicy => {
  if (url.protocol === 'https:') return { allowLoopback: local, allowPublic: true };
  if (url.protocol === 'http:' && local) return { allowLoopback: true, allowPublic: false };
  throw new OutboundFetchError(local ? 'the URL must use https (or http to loopback)' : 'the URL must use https');
};

const REFUSED_ADDRESS = 'its host resolves to an address that is not allowed (loopback, private, link-local or reserved)';

/** Resolves through `resolve` and hands the socket only addresses the policy allows; any refused address refuses all. */
const checkedLookup =
  (resolve: Resolver, policy: AddressPolicy): LookupFunction =>
  (hostname, options, callback) => {
    resolve(hostname).then(
      (addresses) => {
        if (addresses.length === 0) return callback(new OutboundFetchError('its host does not resolve'), '', 0);
        if (!addresses.every((a) => addressAllowed(a.address, policy))) {
          return callback(new OutboundFetchError(REFUSED_ADDRESS), '', 0);
        }
        const [first] = addresses as [Resolved];
        if (options.all) return (callback as unknown as (e: null, a: Resolved[]) => void)(null, addresses);
        return callback(null, first.address, first.family);
      },
      (cause: unknown) => callback(new OutboundFetchError('its host does not resolve', { cause }), '', 0),
    );
  };

type Hop = { redirect: string } | Fetched;

const getOnce = (url: URL, options: FetchOptions, limits: FetchLimits, signal: AbortSignal): Promise<Hop> => {
  if (signal.aborted) throw new OutboundFetchError(`it did not answer within ${limits.timeoutMs / 1000} s`);
  const policy = policyFor(url, options.local);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) && !addressAllowed(host, policy)) throw new OutboundFetchError(REFUSED_ADDRESS);
  const get = url.protocol === 'https:' ? https.get : http.get;
  return new Promise<Hop>((resolve, reject) => {
    let settled = false;
    const fail = (err: unknown) => {
      if (settled) return;
      settled = true;
      request.destroy();
      reject(
        err instanceof OutboundFetchError
          ? err
          : signal.aborted
            ? new OutboundFetchError(`it did not answer within ${limits.timeoutMs / 1000} s`)
            : new OutboundFetchError('it could not be reached', { cause: err }),
      );
    };
    const onAbort = () => fail(new OutboundFetchError(`it did not answer within ${limits.timeoutMs / 1000} s`));
    const request = get(url, {
      agent: false,
      lookup: checkedLookup(options.resolve ?? systemResolver, policy),
      headers: { accept: options.accept ?? '*/*', 'user-agent': 'tenantgate-sso' },
    });
    signal.addEventListener('abort', onAbort, { once: true });
    request.on('close', () => signal.removeEventListener('abort', onAbort));
    request.on('error', fail);
    request.on('response', (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location) {
        settled = true;
        res.resume();
        request.destroy();
        return resolve({ redirect: res.headers.location });
      }
      if (status < 200 || status >= 300) return fail(new OutboundFetchError(`it answered HTTP ${status}`));
      const tooLarge = () => new OutboundFetchError(`it is larger than ${limits.maxBytes / 1024} KB`);
      if (Number(res.headers['content-length'] ?? 0) > limits.maxBytes) return fail(tooLarge());
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > limits.maxBytes) return fail(tooLarge());
        chunks.push(chunk);
      });
      res.on('error', fail);
      res.on('aborted', () => fail(new OutboundFetchError('the connection broke')));
      res.on('end', () => {
        if (settled) return;
        settled = true;
        resolve({ status, contentType: res.headers['content-type'], body: Buffer.concat(chunks).toString('utf8') });
      });
    });
  });
};

export const fetchBounded = async (url: string, options: FetchOptions): Promise<Fetched> => {
  const limits = { ...FETCH_LIMITS, ...options.limits };
  const signal = AbortSignal.timeout(limits.timeoutMs);
  let current: URL;
  try {
    current = new URL(url);
  } catch {
    throw new OutboundFetchError('the URL is not valid');
  }
  for (let redirects = 0; ; redirects += 1) {
    const hop = await getOnce(current, options, limits, signal);
    if (!('redirect' in hop)) return hop;
    if (redirects >= limits.maxRedirects) throw new OutboundFetchError(`it redirected more than ${limits.maxRedirects} times`);
    try {
      current = new URL(hop.redirect, current);
    } catch {
      throw new OutboundFetchError('it redirected to an invalid URL');
    }
  }
};
