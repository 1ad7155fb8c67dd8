import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * What the local identity pool keeps in the stack's state directory:
 * `identity-pool/pool.json` (its id and one identity id per user, so a user
 * keeps their identity id, and so their inbox prefix, across restarts of
 * `npm start`) and `identity-pool/credentials.json`, the temporary
 * credentials it has issued, which the local S3 reads to accept and
 * authorize requests signed with them (scripts/local/session-credentials.cjs).
 */

export type PrincipalTags = { tenant_id?: string; tenant_role?: string };

/** One issued credential, as the local S3 reads it. */
export type SessionCredential = {
  secretKey: string;
  sessionToken: string;
  identityId: string;
  principalTags: PrincipalTags;
  /** Epoch milliseconds. */
  expiresAt: number;
};

type PoolFile = { identityPoolId: string; identities: Record<string, string> };

export const credentialsFile = (stateDir: string): string => path.join(stateDir, 'identity-pool', 'credentials.json');

const writeAtomically = (file: string, value: unknown, mode = 0o600) => {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, JSON.stringify(value), { mode });
  fs.renameSync(temporary, file);
};

const readJson = <T>(file: string): T | undefined => {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
};

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
/** `ASIA` and 16 more, as STS's temporary access key ids. */
const temporaryAccessKeyId = (): string => `ASIA${[...randomBytes(16)].map((b) => ALPHANUMERIC[b % ALPHANUMERIC.length]).join('')}`;

export type IdentityStore = {
  identityPoolId: string;
  /** The identity of a user of a provider, created on first use (GetId). */
  identityFor: (providerName: string, sub: string) => string;
  /** The (provider, sub) an identity belongs to, if it exists. */
  ownerOf: (identityId: string) => { providerName: string; sub: string } | undefined;
  issue: (identityId: string, principalTags: PrincipalTags, lifetimeMs: number) => { accessKeyId: string } & SessionCredential;
};

/**
 * Opens (persist) or starts afresh the local identity pool's state. Identity
 * ids are `<region>:<uuid>`, as Cognito's.
 */
export const openIdentityStore = (options: { stateDir: string; region: string; persist: boolean }): IdentityStore => {
  const poolFile = path.join(options.stateDir, 'identity-pool', 'pool.json');
  const issuedFile = credentialsFile(options.stateDir);
  const kept = options.persist ? readJson<PoolFile>(poolFile) : undefined;
  const pool: PoolFile = kept ?? { identityPoolId: `${options.region}:${randomUUID()}`, identities: {} };
  writeAtomically(poolFile, pool, 0o644);
  const issued = new Map(Object.entries((options.persist && readJson<Record<string, SessionCredential>>(issuedFile)) || {}));
  const saveIssued = () => {
    const now = Date.now();
    for (const [key, credential] of issued) if (credential.expiresAt <= now) issued.delete(key);
    writeAtomically(issuedFile, Object.fromEntries(issued));
  };
  saveIssued();
  const loginKey = (providerName: string, sub: string) => `${providerName} ${sub}`;

  return {
    identityPoolId: pool.identityPoolId,
    identityFor: (providerName, sub) => {
      const key = loginKey(providerName, sub);
      let identityId = pool.identities[key];
      if (!identityId) {
        identityId = `${options.region}:${randomUUID()}`;
        pool.identities[key] = identityId;
        writeAtomically(poolFile, pool, 0o644);
      }
      return identityId;
    },
    ownerOf: (identityId) => {
      const entry = Object.entries(pool.identities).find(([, id]) => id === identityId);
      if (!entry) return undefined;
      const at = entry[0].lastIndexOf(' ');
      return { providerName: entry[0].slice(0, at), sub: entry[0].slice(at + 1) };
    },
    issue: (identityId, principalTags, lifetimeMs) => {
      const accessKeyId = temporaryAccessKeyId();
      const credential: SessionCredential = {
        secretKey: randomBytes(30).toString('base64'),
        sessionToken: randomBytes(240).toString('base64'),
        identityId,
        principalTags,
        expiresAt: Date.now() + lifetimeMs,
      };
      issued.set(accessKeyId, credential);
      saveIssued();
      return { accessKeyId, ...credential };
    },
  };
};
