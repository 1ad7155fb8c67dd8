import { createHmac, createSign } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The emulator's own signing key (cognito-local ships a fixed one), so tests can
 * mint tokens the local issuer really signed — expired ones, ones with missing
 * claims — and forgeries that are not (alg none, HS256 with the public key).
 */
const keyDir = path.resolve(__dirname, '../../../node_modules/cognito-local/lib/keys');
const privateKey = (JSON.parse(fs.readFileSync(path.join(keyDir, 'cognitoLocal.private.json'), 'utf8')) as { pem: string }).pem;
const publicKey = (JSON.parse(fs.readFileSync(path.join(keyDir, 'cognitoLocal.public.json'), 'utf8')) as { pem?: string; jwk: unknown })
  .pem;

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** The `kid` of the emulator's key in its JWKS. */
export const EMULATOR_KID = 'CognitoLocal';

/** The emulator's public key as PEM: what the HMAC key-confusion forgeries take as their secret. */
export const emulatorPublicKeyPem = publicKey;

/** The emulator key's RSA signature over any signing input, for tokens crafted byte by byte (test/security). */
export const emulatorSignature = (signingInput: string, digest: 'RSA-SHA256' | 'RSA-SHA384' | 'RSA-SHA512' = 'RSA-SHA256'): string =>
  createSign(digest).update(signingInput).sign(privateKey).toString('base64url');

export const signAsEmulator = (payload: Record<string, unknown>): string => {
  const head = `${b64({ alg: 'RS256', typ: 'JWT', kid: EMULATOR_KID })}.${b64(payload)}`;
  return `${head}.${emulatorSignature(head)}`;
};

export const unsignedToken = (payload: Record<string, unknown>): string => `${b64({ alg: 'none', typ: 'JWT' })}.${b64(payload)}.`;

/** The classic confusion attack: HS256 keyed with the issuer's public key. */
export const hs256WithPublicKey = (payload: Record<string, unknown>): string => {
  if (!publicKey) throw new Error('cognito-local public key has no PEM');
  const head = `${b64({ alg: 'HS256', typ: 'JWT', kid: EMULATOR_KID })}.${b64(payload)}`;
  return `${head}.${createHmac('sha256', publicKey).update(head).digest('base64url')}`;
};

/** Replaces the payload of a real token and keeps its (now wrong) signature. */
export const tamper = (token: string, change: (payload: Record<string, unknown>) => Record<string, unknown>): string => {
  const [header, payload, signature] = token.split('.');
  if (!header || !payload || signature === undefined) throw new Error('not a JWT');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  return `${header}.${b64(change(claims))}.${signature}`;
};
