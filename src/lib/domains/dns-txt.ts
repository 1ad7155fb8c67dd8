import { Resolver } from 'node:dns/promises';
import { isIP } from 'node:net';
import * as z from 'zod';
import { ENV } from '../env-names';
import { RetryLaterError } from '../errors';
import { optional, readConfig } from '../read-config';

/** `1.2.3.4`, `1.2.3.4:5353`, `::1` or `[::1]:5353`, as `Resolver#setServers` takes them. */
const serverSchema = z.string().refine((s) => {
  const bracketed = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(s);
  const plain = /^([^:]+)(?::(\d{1,5}))?$/.exec(s);
  const [host, port] = bracketed ? [bracketed[1], bracketed[2]] : plain ? [plain[1], plain[2]] : [s, undefined];
  return isIP(host ?? '') !== 0 && (port === undefined || (Number(port) > 0 && Number(port) < 65536));
}, 'must be an IP address, optionally with :port');

/**
 * Which resolvers answer the TXT lookups: unset on AWS (the system's
 * resolver, as for any other name); the local stack points it at its own DNS
 * server on loopback (scripts/local/dns-server.cjs). The lookup is the same
 * real query either way; only the address differs.
 */
export const parseDnsConfig = (env: NodeJS.ProcessEnv) =>
  readConfig(
    'dns',
    z
      .object({
        [ENV.dnsServers]: optional(
          z
            .string()
            .transform((s) => s.split(',').map((v) => v.trim()))
            .pipe(z.array(serverSchema).min(1)),
        ),
      })
      .transform((c) => ({ servers: c[ENV.dnsServers] })),
    env,
  );

const dnsConfig = parseDnsConfig(process.env);

/** One try waits this long, the second twice as long (c-ares doubles it): 3 s at most, then the guard below. */
const TRY_TIMEOUT_MS = 1_000;
const TRIES = 2;
const OVERALL_TIMEOUT_MS = 4_000;
const RETRY_AFTER_SECONDS = 5;

/** No answer from DNS (timed out, SERVFAIL, refused): not "no record", so a 503 to try again, never a 409. */
export class DnsUnavailableError extends RetryLaterError {
  readonly status = 503;
  readonly title = 'Service unavailable';
  protected readonly slug = 'dns-unavailable';

  constructor(name: string, cause: unknown) {
    super(`The DNS lookup of ${name} did not complete; please try again in a moment.`, RETRY_AFTER_SECONDS, { cause });
  }
}

/** The name does not exist, or has no TXT record: an answer, not a fault. */
const NO_RECORD = new Set(['ENOTFOUND', 'ENODATA']);

/**
 * The TXT records at a name, each as its character-strings (a long value is
 * split into chunks of at most 255 bytes); [] when the name has none.
 * Bounded in time; a resolver that does not answer is a DnsUnavailableError.
 * `servers`: the configured resolvers unless given (tests).
 */
export const lookupTxt = async (name: string, servers: string[] | undefined = dnsConfig.servers): Promise<string[][]> => {
  const resolver = new Resolver({ timeout: TRY_TIMEOUT_MS, tries: TRIES });
  if (servers) resolver.setServers(servers);
  let timer: NodeJS.Timeout | undefined;
  const guard = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      resolver.cancel();
      reject(Object.assign(new Error(`TXT lookup of ${name} exceeded ${OVERALL_TIMEOUT_MS} ms`), { code: 'ETIMEOUT' }));
    }, OVERALL_TIMEOUT_MS);
  });
  try {
    return await Promise.race([resolver.resolveTxt(name), guard]);
  } catch (err) {
    if (NO_RECORD.has((err as { code?: string }).code ?? '')) return [];
    throw new DnsUnavailableError(name, err);
  } finally {
    clearTimeout(timer);
  }
};

/** True when one of the records, its chunks joined, is exactly the expected value. */
export const txtMatches = (records: readonly (readonly string[])[], expected: string): boolean =>
  records.some((chunks) => chunks.join('') === expected);
