/**
 * JWTs crafted byte by byte for the token-attack suite (jwt_tool's attack list,
 * RFC 8725): any header, a payload given as an object or as exact JSON text
 * (duplicate members), and any signer — the emulator's real key, none, HMAC
 * keyed with its public key, or an attacker's own key — plus the attacker's
 * server that a `jku` or `x5u` header points at.
 */
import { createHmac, createPublicKey, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { EMULATOR_KID, emulatorPublicKeyPem, emulatorSignature } from '../../integration/support/forge';

export type Claims = Record<string, unknown>;
/** An object is JSON-encoded; a string is taken as the exact JSON text, for what JSON.stringify cannot write. */
export type Part = Claims | string;
/** Turns a signing input (`header.payload`) into the signature segment. */
export type Signer = (signingInput: string) => string;

export const encodePart = (part: Part): string => Buffer.from(typeof part === 'string' ? part : JSON.stringify(part)).toString('base64url');

export const craftJwt = (header: Part, payload: Part, signer: Signer): string => {
  const signingInput = `${encodePart(header)}.${encodePart(payload)}`;
  return `${signingInput}.${signer(signingInput)}`;
};

/** The header the emulator (and Cognito) writes, with changes. */
export const poolHeader = (changes: Claims = {}): Claims => ({ alg: 'RS256', typ: 'JWT', kid: EMULATOR_KID, ...changes });

export const byPoolKey: Signer = (input) => emulatorSignature(input);
export const noSignature: Signer = () => '';

/** Key confusion: an HMAC whose secret is the pool's public key, as a verifier that trusts the header's `alg` would check it. */
export const hmacWithPoolPublicKey =
  (bits: 256 | 384 | 512, secret: string | Buffer = requirePem()): Signer =>
  (input) =>
    createHmac(`sha${bits}`, secret).update(input).digest('base64url');

const requirePem = (): string => {
  if (!emulatorPublicKeyPem) throw new Error('cognito-local public key has no PEM');
  return emulatorPublicKeyPem;
};

/** The pool's public key in the other PEM form (SPKI), whose bytes a confused verifier might use instead. */
export const poolPublicKeySpki = (): string => createPublicKey(requirePem()).export({ format: 'pem', type: 'spki' }).toString();

export type AttackerKey = { kid: string; privateKey: KeyObject; publicJwk: Claims; sign: Signer };

export const attackerRsaKey = (kid = 'attacker-rsa'): AttackerKey => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    kid,
    privateKey,
    publicJwk: { ...publicKey.export({ format: 'jwk' }), kid, use: 'sig', alg: 'RS256' },
    sign: (input) => sign('sha256', Buffer.from(input), privateKey).toString('base64url'),
  };
};

export const attackerEcKey = (kid = 'attacker-ec'): AttackerKey => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    kid,
    privateKey,
    publicJwk: { ...publicKey.export({ format: 'jwk' }), kid, use: 'sig', alg: 'ES256' },
    sign: (input) => sign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url'),
  };
};

export type JwtParts = { header: string; payload: string; signature: string };

export const splitJwt = (token: string): JwtParts => {
  const [header, payload, signature] = token.split('.');
  if (header === undefined || payload === undefined || signature === undefined) throw new Error('not a JWT');
  return { header, payload, signature };
};

export const signatureOf = (token: string): string => splitJwt(token).signature;

/** The token with one segment changed, the others kept byte for byte (a genuine signature stays on). */
export const replacePart = (token: string, part: keyof JwtParts, change: (segment: string) => string): string => {
  const parts = splitJwt(token);
  const next = { ...parts, [part]: change(parts[part]) };
  return `${next.header}.${next.payload}.${next.signature}`;
};

/** The token's claims changed and re-encoded under its original header and signature. */
export const withChangedClaims = (token: string, changes: Claims): string =>
  replacePart(token, 'payload', (p) => encodePart({ ...(JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as Claims), ...changes }));

/** The signature in the standard base64 alphabet (`+`, `/`), which Node's decoder reads as the same bytes. */
export const withStandardBase64Signature = (token: string): string => {
  const changed = replacePart(token, 'signature', (s) => Buffer.from(s, 'base64url').toString('base64').replace(/=+$/, ''));
  if (changed === token) throw new Error('the signature has no - or _ to turn into + or /');
  return changed;
};

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * A 2048-bit RSA signature is 256 bytes, 342 base64url characters, of which the
 * last carries 2 bits: flipping its 4 unused bits spells the same bytes differently.
 */
export const withUnusedSignatureBitsFlipped = (token: string): string =>
  replacePart(token, 'signature', (s) => `${s.slice(0, -1)}${BASE64URL[BASE64URL.indexOf(s.at(-1) ?? 'A') ^ 0b001111] ?? ''}`);

/** One bit of a segment's decoded bytes flipped, re-encoded canonically. */
export const flipBit = (segment: string, byteIndex: number, bit = 0): string => {
  const bytes = Buffer.from(segment, 'base64url');
  bytes[byteIndex] = (bytes[byteIndex] ?? 0) ^ (1 << bit);
  return bytes.toString('base64url');
};

/**
 * The claims as JSON text with `name` written twice: `first` where JSON.stringify
 * would put it, `last` at the end. JSON.parse keeps the last (RFC 7519 §4 allows
 * that or a refusal); a parser that kept the first would read another token.
 */
export const withDuplicateClaim = (claims: Claims, name: string, first: unknown, last: unknown): string => {
  const { [name]: _dropped, ...rest } = claims;
  const body = JSON.stringify({ [name]: first, ...rest });
  return `${body.slice(0, -1)},${JSON.stringify(name)}:${JSON.stringify(last)}}`;
};

/** Every claim but `name`, which hides in `__proto__` (aws-jwt-verify's safeJsonParse drops that key). */
export const withClaimInProto = (claims: Claims, name: string): string => {
  const { [name]: hidden, ...rest } = claims;
  return `${JSON.stringify(rest).slice(0, -1)},"__proto__":${JSON.stringify({ [name]: hidden })}}`;
};

export type AttackerServer = { origin: string; requests: string[]; close: () => Promise<void> };

/** An HTTP server on loopback that serves the attacker's JWKS at any path and remembers every request. */
export const startAttackerServer = async (jwks: unknown): Promise<AttackerServer> => {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(jwks));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
};
