/**
 * The token-attack suite's cases, each named after the attack (RFC 8725, OWASP
 * ASVS 5.0 V9, jwt_tool's list), and the world they are aimed at: a real
 * signed-up victim and a bystander in another tenant. Many forgeries carry the
 * pool's real signature (the emulator's key), so that exactly one check is left
 * to refuse them.
 */
import { createPublicKey } from 'node:crypto';
import { createTenant } from '../../../src/lib/tenants/create-tenant';
import { anotherAppClient, decodeJwt, signIn, signInToAnotherPool, type Tokens } from '../../integration/support/cognito';
import { EMULATOR_KID, emulatorSignature } from '../../integration/support/forge';
import { operator } from '../../integration/support/operator';
import { PASSWORD, uniqueEmail } from '../../integration/support/stack';
import { type Caller, tenantWithOwner } from '../../integration/support/world';
import type { HeaderLines } from './attack-log';
import {
  type AttackerKey,
  type AttackerServer,
  attackerEcKey,
  attackerRsaKey,
  byPoolKey,
  type Claims,
  craftJwt,
  encodePart,
  flipBit,
  hmacWithPoolPublicKey,
  noSignature,
  poolHeader,
  poolPublicKeySpki,
  replacePart,
  signatureOf,
  startAttackerServer,
  withChangedClaims,
  withClaimInProto,
  withDuplicateClaim,
  withStandardBase64Signature,
} from './jwt-attacks';

export type AttackWorld = {
  victim: Caller;
  tenantId: string;
  /** The victim's genuine access-token claims, the base of every crafted token. */
  claims: Claims;
  bystander: Caller;
  bystanderTenantId: string;
  otherPool: Tokens;
  otherClient: Tokens;
  poolJwksText: string;
  attacker: AttackerKey;
  attackerEc: AttackerKey;
  server: AttackerServer;
};

const signInToAnotherPoolInvited = async (email: string): Promise<Tokens> => {
  await createTenant(operator, { name: 'Attack other pool', ownerEmail: email });
  return signInToAnotherPool(email);
};

export const buildAttackWorld = async (): Promise<AttackWorld> => {
  const victim = await tenantWithOwner('Token attack victim');
  const bystander = await tenantWithOwner('Token attack bystander');
  const claims = decodeJwt(victim.owner.accessToken);
  const attacker = attackerRsaKey();
  const attackerEc = attackerEcKey();
  return {
    victim: victim.owner,
    tenantId: victim.tenantId,
    claims,
    bystander: bystander.owner,
    bystanderTenantId: bystander.tenantId,
    otherPool: await signInToAnotherPoolInvited(uniqueEmail('other-pool')),
    otherClient: await signIn(victim.owner.email, await anotherAppClient('attack-not-allowed')),
    poolJwksText: await (await fetch(`${claims.iss}/.well-known/jwks.json`)).text(),
    attacker,
    attackerEc,
    server: await startAttackerServer({ keys: [attacker.publicJwk, attackerEc.publicJwk] }),
  };
};

export const nowSeconds = () => Math.floor(Date.now() / 1000);
export const bearer = (token: string): HeaderLines => [['Authorization', `Bearer ${token}`]];

/** The victim's real claims with changes (`undefined` drops a claim), signed by the pool's own key. */
export const poolSigned = (w: AttackWorld, changes: Claims = {}, header: Claims = {}) =>
  craftJwt(poolHeader(header), { ...w.claims, ...changes }, byPoolKey);

/** The victim's claims (or any payload) under a header of the attacker's choosing, signed by the attacker's key. */
export const attackerSigned = (w: AttackWorld, header: Claims, payload: Claims | string = w.claims) =>
  craftJwt({ alg: 'RS256', typ: 'JWT', kid: w.attacker.kid, ...header }, payload, w.attacker.sign);

const algNone = (w: AttackWorld) => craftJwt({ alg: 'none', typ: 'JWT' }, w.claims, noSignature);
const anotherPoolIssuer = (w: AttackWorld) => `${new URL(String(w.claims.iss)).origin}/eu-west-1_AnotherPool1`;
const victimToken = (w: AttackWorld) => w.victim.accessToken;

export type TokenAttack = [name: string, family: string, forge: (w: AttackWorld) => string];

export const tokenAttacks: TokenAttack[] = [
  // alg none (RFC 8725 §2.1, §3.1)
  ['alg "none" with an empty signature', 'alg-none', algNone],
  ['alg "None" with an empty signature', 'alg-none', (w) => craftJwt({ alg: 'None', typ: 'JWT' }, w.claims, noSignature)],
  ['alg "NONE" with an empty signature', 'alg-none', (w) => craftJwt({ alg: 'NONE', typ: 'JWT' }, w.claims, noSignature)],
  [
    'alg "nOnE" under the pool kid with an empty signature',
    'alg-none',
    (w) => craftJwt(poolHeader({ alg: 'nOnE' }), w.claims, noSignature),
  ],
  [
    'alg "none" keeping the genuine signature',
    'alg-none',
    (w) => craftJwt(poolHeader({ alg: 'none' }), w.claims, () => signatureOf(victimToken(w))),
  ],
  ['alg "RS256" with the signature stripped', 'alg-none', (w) => craftJwt(poolHeader(), w.claims, noSignature)],
  ['no alg at all, signed by the pool key', 'alg-none', (w) => poolSigned(w, {}, { alg: undefined })],
  // key confusion (RFC 8725 §2.1, §3.1)
  [
    'HS256 keyed with the pool public key (PKCS#1 PEM)',
    'key-confusion',
    (w) => craftJwt(poolHeader({ alg: 'HS256' }), w.claims, hmacWithPoolPublicKey(256)),
  ],
  [
    'HS384 keyed with the pool public key (PKCS#1 PEM)',
    'key-confusion',
    (w) => craftJwt(poolHeader({ alg: 'HS384' }), w.claims, hmacWithPoolPublicKey(384)),
  ],
  [
    'HS512 keyed with the pool public key (PKCS#1 PEM)',
    'key-confusion',
    (w) => craftJwt(poolHeader({ alg: 'HS512' }), w.claims, hmacWithPoolPublicKey(512)),
  ],
  [
    'HS256 keyed with the pool public key (SPKI PEM)',
    'key-confusion',
    (w) => craftJwt(poolHeader({ alg: 'HS256' }), w.claims, hmacWithPoolPublicKey(256, poolPublicKeySpki())),
  ],
  [
    'HS256 keyed with the JWKS document the pool serves',
    'key-confusion',
    (w) => craftJwt(poolHeader({ alg: 'HS256' }), w.claims, hmacWithPoolPublicKey(256, w.poolJwksText)),
  ],
  [
    'ES256 under the pool kid, signed by an attacker EC key',
    'key-confusion',
    (w) => craftJwt(poolHeader({ alg: 'ES256' }), w.claims, w.attackerEc.sign),
  ],
  [
    'RS512 over the RS256-only pool key, signed by the pool key itself',
    'key-confusion',
    (w) => craftJwt(poolHeader({ alg: 'RS512' }), w.claims, (input) => emulatorSignature(input, 'RSA-SHA512')),
  ],
  ['RS256 under the pool kid, signed by an attacker RSA key', 'key-confusion', (w) => attackerSigned(w, { kid: EMULATOR_KID })],
  // kid tricks, each carrying the pool's real signature
  ['kid path traversal "../../../../../../dev/null"', 'kid', (w) => poolSigned(w, {}, { kid: '../../../../../../dev/null' })],
  ['kid SQL injection', 'kid', (w) => poolSigned(w, {}, { kid: "x' UNION SELECT 'CognitoLocal' --" })],
  ['kid unknown to the JWKS', 'kid', (w) => poolSigned(w, {}, { kid: 'rotated-away-2026' })],
  ['kid the empty string', 'kid', (w) => poolSigned(w, {}, { kid: '' })],
  ['kid a number', 'kid', (w) => poolSigned(w, {}, { kid: 0 })],
  ['kid missing', 'kid', (w) => poolSigned(w, {}, { kid: undefined })],
  ['kid the pool kid followed by a NUL byte', 'kid', (w) => poolSigned(w, {}, { kid: `${EMULATOR_KID}\u0000` })],
  ['kid the pool kid in lower case', 'kid', (w) => poolSigned(w, {}, { kid: EMULATOR_KID.toLowerCase() })],
  // crit (RFC 7515 §4.1.11, RFC 7797)
  [
    'crit naming an unknown extension, signed by an attacker key',
    'crit',
    (w) => attackerSigned(w, { crit: ['urn:x-tg:skip-checks'], 'urn:x-tg:skip-checks': true }),
  ],
  ['crit ["exp"] on an expired token signed by the pool key', 'crit', (w) => poolSigned(w, { exp: nowSeconds() - 60 }, { crit: ['exp'] })],
  [
    'crit b64:false (unencoded payload) signed by the pool key over the raw payload',
    'crit',
    (w) => {
      const header = encodePart(poolHeader({ crit: ['b64'], b64: false }));
      const payload = JSON.stringify({ ...w.claims, sub: w.bystander.userId });
      return `${header}.${encodePart(payload)}.${emulatorSignature(`${header}.${payload}`)}`;
    },
  ],
  // tampered bits, genuine signature kept
  ['payload with sub changed to another user', 'tampering', (w) => withChangedClaims(victimToken(w), { sub: w.bystander.userId })],
  [
    'payload with tenant_id changed to another tenant',
    'tampering',
    (w) => withChangedClaims(victimToken(w), { tenant_id: w.bystanderTenantId }),
  ],
  ['payload with one bit flipped', 'tampering', (w) => replacePart(victimToken(w), 'payload', (p) => flipBit(p, 40))],
  ['header with one bit flipped', 'tampering', (w) => replacePart(victimToken(w), 'header', (h) => flipBit(h, 10))],
  ['signature with one bit flipped', 'tampering', (w) => replacePart(victimToken(w), 'signature', (s) => flipBit(s, 128))],
  [
    'signature one byte short',
    'tampering',
    (w) => replacePart(victimToken(w), 'signature', (s) => Buffer.from(s, 'base64url').subarray(1).toString('base64url')),
  ],
  [
    "another user's genuine signature spliced on",
    'tampering',
    (w) => replacePart(victimToken(w), 'signature', () => signatureOf(w.bystander.accessToken)),
  ],
  [
    "another user's payload under the victim's signature",
    'tampering',
    (w) => replacePart(w.bystander.accessToken, 'signature', () => signatureOf(victimToken(w))),
  ],
  // issuer (pool-signed, or another pool's genuine token)
  ['iss of another pool on the same emulator', 'issuer', (w) => poolSigned(w, { iss: anotherPoolIssuer(w) })],
  ['iss with a trailing slash', 'issuer', (w) => poolSigned(w, { iss: `${w.claims.iss}/` })],
  ['iss with https instead of http', 'issuer', (w) => poolSigned(w, { iss: String(w.claims.iss).replace(/^http:/, 'https:') })],
  [
    'iss naming localhost instead of 127.0.0.1',
    'issuer',
    (w) => poolSigned(w, { iss: String(w.claims.iss).replace('127.0.0.1', 'localhost') }),
  ],
  ['iss missing', 'issuer', (w) => poolSigned(w, { iss: undefined })],
  ['iss an array holding the pool issuer', 'issuer', (w) => poolSigned(w, { iss: [w.claims.iss] })],
  ['a genuine access token of another user pool', 'issuer', (w) => w.otherPool.accessToken],
  // app client
  ['a genuine access token of another app client of the pool', 'client', (w) => w.otherClient.accessToken],
  ['client_id an array holding the allowed client', 'client', (w) => poolSigned(w, { client_id: [w.claims.client_id] })],
  ['client_id missing, aud naming the allowed client', 'client', (w) => poolSigned(w, { client_id: undefined, aud: w.claims.client_id })],
  // token type
  ['the genuine ID token', 'token-use', (w) => w.victim.idToken],
  ['the genuine refresh token as a bearer token', 'token-use', (w) => w.victim.refreshToken],
  ['token_use "id" with every access claim', 'token-use', (w) => poolSigned(w, { token_use: 'id' })],
  ['token_use "Access"', 'token-use', (w) => poolSigned(w, { token_use: 'Access' })],
  ['token_use "access " with a trailing space', 'token-use', (w) => poolSigned(w, { token_use: 'access ' })],
  ['token_use ["access"]', 'token-use', (w) => poolSigned(w, { token_use: ['access'] })],
  ['token_use missing', 'token-use', (w) => poolSigned(w, { token_use: undefined })],
  ['token_use only inside __proto__', 'token-use', (w) => craftJwt(poolHeader(), withClaimInProto(w.claims, 'token_use'), byPoolKey)],
  // time (pool-signed)
  ['exp equal to now', 'time', (w) => poolSigned(w, { exp: nowSeconds() })],
  ['exp one second ago', 'time', (w) => poolSigned(w, { exp: nowSeconds() - 1 })],
  ['exp half a second ago, as a float', 'time', (w) => poolSigned(w, { exp: Date.now() / 1000 - 0.5 })],
  ['exp a string far in the future', 'time', (w) => poolSigned(w, { exp: String(nowSeconds() + 86_400) })],
  [
    'exp 1e999, which parses as Infinity',
    'time',
    (w) => craftJwt(poolHeader(), JSON.stringify({ ...w.claims, exp: 0 }).replace('"exp":0', '"exp":1e999'), byPoolKey),
  ],
  ['exp missing', 'time', (w) => poolSigned(w, { exp: undefined })],
  [
    'exp far in the future without origin_jti',
    'time',
    (w) => poolSigned(w, { exp: nowSeconds() + 10 * 365 * 86_400, origin_jti: undefined }),
  ],
  ['nbf an hour in the future', 'time', (w) => poolSigned(w, { nbf: nowSeconds() + 3600 })],
  ['iat a string', 'time', (w) => poolSigned(w, { iat: String(w.claims.iat) })],
  // duplicated claims (RFC 7519 §4: refuse, or take the last)
  [
    'token_use "id" then "access", signed by an attacker key',
    'duplicate-claims',
    (w) => attackerSigned(w, {}, withDuplicateClaim(w.claims, 'token_use', 'id', 'access')),
  ],
  [
    'sub twice (victim, then another user) under the genuine signature',
    'duplicate-claims',
    (w) =>
      replacePart(victimToken(w), 'payload', () => encodePart(withDuplicateClaim(w.claims, 'sub', w.victim.userId, w.bystander.userId))),
  ],
  [
    'token_use "access" then "id", signed by the pool key',
    'duplicate-claims',
    (w) => craftJwt(poolHeader(), withDuplicateClaim(w.claims, 'token_use', 'access', 'id'), byPoolKey),
  ],
  [
    'client_id allowed then foreign, signed by the pool key',
    'duplicate-claims',
    (w) => craftJwt(poolHeader(), withDuplicateClaim(w.claims, 'client_id', w.claims.client_id, 'foreignclient1'), byPoolKey),
  ],
  [
    'iss the pool then another pool, signed by the pool key',
    'duplicate-claims',
    (w) => craftJwt(poolHeader(), withDuplicateClaim(w.claims, 'iss', w.claims.iss, anotherPoolIssuer(w)), byPoolKey),
  ],
  // malformed encodings and JSON
  ['a header that is not base64url', 'malformed', (w) => `*${victimToken(w).slice(1)}`],
  ['standard base64 (+ and /) in the signature', 'malformed', (w) => withStandardBase64Signature(victimToken(w))],
  ['a header that is not JSON', 'malformed', (w) => craftJwt('{"alg":"RS256",', w.claims, byPoolKey)],
  ['a header that is a JSON array', 'malformed', (w) => craftJwt('["RS256"]', w.claims, byPoolKey)],
  ['a payload that is JSON null', 'malformed', () => craftJwt(poolHeader(), 'null', byPoolKey)],
  ['a payload that is a JSON string', 'malformed', (w) => craftJwt(poolHeader(), JSON.stringify(JSON.stringify(w.claims)), byPoolKey)],
  ['only two segments', 'malformed', (w) => victimToken(w).split('.').slice(0, 2).join('.')],
  ['four segments', 'malformed', (w) => `${victimToken(w)}.${signatureOf(victimToken(w))}`],
  ['three empty segments', 'malformed', () => '..'],
  // oversize, under the HTTP layer's limits: the Lambda refuses it
  ['an 8 KB token signed by an attacker key', 'oversize', (w) => attackerSigned(w, {}, { ...w.claims, padding: 'A'.repeat(6000) })],
];

/** Headers that point the verifier at the attacker's key; every such token is signed with that key. */
export const remoteKeyAttacks: [name: string, header: (w: AttackWorld) => Claims][] = [
  ['jku pointing at the attacker server (attacker kid)', (w) => ({ jku: `${w.server.origin}/jwks.json` })],
  ['jku pointing at the attacker server under the pool kid', (w) => ({ kid: EMULATOR_KID, jku: `${w.server.origin}/jwks.json` })],
  ['x5u pointing at the attacker server', (w) => ({ x5u: `${w.server.origin}/cert.pem` })],
  ['an embedded jwk with the attacker key', (w) => ({ jwk: w.attacker.publicJwk })],
  [
    'an embedded jwk with the attacker key under the pool kid',
    (w) => ({ kid: EMULATOR_KID, jwk: { ...w.attacker.publicJwk, kid: EMULATOR_KID } }),
  ],
  [
    'an embedded x5c with the attacker public key',
    (w) => ({ x5c: [createPublicKey(w.attacker.privateKey).export({ format: 'der', type: 'spki' }).toString('base64')] }),
  ],
];

/** Authorization framings that must never let a forged token through, nor a genuine one become someone else's. */
export const headerTricks: [name: string, lines: (w: AttackWorld) => HeaderLines][] = [
  ['the lower-case scheme "bearer" with a forged token', (w) => [['Authorization', `bearer ${algNone(w)}`]]],
  ['the upper-case scheme "BEARER" with a forged token', (w) => [['Authorization', `BEARER ${algNone(w)}`]]],
  ['two spaces before a forged token', (w) => [['Authorization', `Bearer  ${algNone(w)}`]]],
  ['a tab before a forged token', (w) => [['Authorization', `Bearer\t${algNone(w)}`]]],
  ['"Bearer" with no token', () => [['Authorization', 'Bearer']]],
  ['"Bearer" followed by spaces only', () => [['Authorization', 'Bearer    ']]],
  [
    'the Basic scheme with user and password',
    (w) => [['Authorization', `Basic ${Buffer.from(`${w.victim.email}:${PASSWORD}`).toString('base64')}`]],
  ],
  ['the Basic scheme carrying the genuine token', (w) => [['Authorization', `Basic ${victimToken(w)}`]]],
  ['the genuine token followed by a second word', (w) => [['Authorization', `Bearer ${victimToken(w)} extra`]]],
  ['a forged token followed by the genuine one', (w) => [['Authorization', `Bearer ${algNone(w)} ${victimToken(w)}`]]],
  [
    'two Authorization lines, genuine then forged (joined with a comma)',
    (w) => [
      ['Authorization', `Bearer ${victimToken(w)}`],
      ['Authorization', `Bearer ${algNone(w)}`],
    ],
  ],
  [
    'two Authorization lines, forged then genuine (joined with a comma)',
    (w) => [
      ['Authorization', `Bearer ${algNone(w)}`],
      ['authorization', `Bearer ${victimToken(w)}`],
    ],
  ],
  [
    'one line with a forged and the genuine token comma-joined',
    (w) => [['Authorization', `Bearer ${algNone(w)}, Bearer ${victimToken(w)}`]],
  ],
  ['the genuine token under another header name (X-Authorization)', (w) => [['X-Authorization', `Bearer ${victimToken(w)}`]]],
  [
    'sls-offline-authorizer-override naming the victim, with an empty Bearer',
    (w) => [
      ['sls-offline-authorizer-override', JSON.stringify({ jwt: { claims: { ...w.claims } } })],
      ['Authorization', 'Bearer'],
    ],
  ],
  [
    'sls-offline-authorizer-override with a forged principal and no Authorization header',
    (w) => [
      [
        'sls-offline-authorizer-override',
        JSON.stringify({ jwt: { claims: { sub: w.victim.userId, tenant_id: w.tenantId, tenant_role: 'owner' } } }),
      ],
    ],
  ],
];
