import { createHash, randomUUID } from 'node:crypto';
import {
  checkPasswordClaim,
  claimSignature,
  createPasswordVerifierChallenge,
  derivedKey,
  formatTimestamp,
  g,
  k,
  N,
  padHex,
  parseTimestamp,
  passwordVerifier,
  poolNameOf,
  scramblingParameter,
  serverPublicValue,
  serverSecret,
} from 'cognito-local/lib/services/srp';
import { describe, expect, it } from 'vitest';
import { clientKeyFor, clientPublicValue } from '../../support/srp-client';

/**
 * The SRP module patched into cognito-local (patches/cognito-local+5.3.0.patch),
 * against what amazon-cognito-identity-js computes on the client's side.
 */

// Inputs and outputs of one sign-in, computed with amazon-cognito-identity-js alone (its
// BigInteger, AuthenticationHelper and CognitoUser's signature code) from fixed secrets.
const VECTOR = {
  poolName: 'Vector01',
  userId: '0b5e7a9c-1d2f-4e6a-8b3c-5d7e9f1a2b3c',
  password: 'Correct-Horse-Battery-42',
  a: BigInt(`0x${'a1'.repeat(128)}`),
  b: BigInt(`0x${'b2'.repeat(32)}`),
  salt: BigInt(`0x${'5a17'.repeat(8)}`),
  secretBlock: Buffer.from('a secret block the server sealed').toString('base64'),
  timestamp: 'Tue Mar 3 09:05:07 UTC 2026',
  // What the library gave:
  sha256OfA: '000eb605dbc549f0de97a195273b9cfd9527f21de3389ac0505181cc2d4ad1e5',
  sha256OfB: '34d96385c39bc6f322cd8ddcf4592dcb6d8ce3441f6270a9f82c890eef4ca46f',
  u: '3571822cb037415456bb450269d9fdfcf56416025b36c566512a6d329f24fef3',
  key: '95242e6f8e6af9a02b6f2d65460e061a',
  signature: '+QjbX18DPSv9mWTG4f7+JpYqR2kPyDp00f/+nfjXeV0=',
};

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const modPow = (base: bigint, exponent: bigint, modulus: bigint): bigint => {
  let result = 1n;
  let b = base % modulus;
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
  }
  return result;
};

describe("cognito-local's SRP (USER_SRP_AUTH) math", () => {
  it('uses the 3072-bit group with g = 2 and the k every Cognito client computes', () => {
    expect(N.toString(2)).toHaveLength(3072);
    expect(g).toBe(2n);
    expect(k.toString(16)).toBe('538282c4354742d7cbbde2359fcf67f9f5b3a6b08791e5011b43b8a5b66d9ee6');
  });

  it("encodes numbers as Java's BigInteger.toByteArray() does, as the clients hash them", () => {
    expect(padHex(20n)).toBe('14');
    expect(padHex(236n)).toBe('00ec');
    expect(padHex(200n)).toBe('00c8');
    expect(padHex(0xabcn)).toBe('0abc');
    expect(padHex(N).slice(0, 4)).toBe('00ff');
  });

  it("derives amazon-cognito-identity-js's key and signature from the same secrets", () => {
    // Prepare
    const { poolName, userId, password, a, b, salt } = VECTOR;
    const A = modPow(g, a, N);
    expect(sha256(A.toString(16))).toBe(VECTOR.sha256OfA);

    // Act
    const v = passwordVerifier(poolName, userId, password, salt);
    const B = serverPublicValue(v, b);
    const u = scramblingParameter(A, B);
    const key = derivedKey(serverSecret(A, v, u, b), u);

    // Assess
    expect(sha256(B.toString(16))).toBe(VECTOR.sha256OfB);
    expect(u.toString(16)).toBe(VECTOR.u);
    expect(key.toString('hex')).toBe(VECTOR.key);
    expect(claimSignature(key, poolName, userId, VECTOR.secretBlock, VECTOR.timestamp)).toBe(VECTOR.signature);
  });

  it('takes the pool name from the pool id, after the region', () => {
    expect(poolNameOf('eu-west-1_AbC123xyz')).toBe('AbC123xyz');
  });
});

describe("cognito-local's TIMESTAMP", () => {
  it('writes and reads `ddd MMM D HH:mm:ss UTC YYYY`, the day not zero-padded', () => {
    const at = new Date('2026-03-03T09:05:07Z');
    expect(formatTimestamp(at)).toBe('Tue Mar 3 09:05:07 UTC 2026');
    expect(parseTimestamp('Tue Mar 3 09:05:07 UTC 2026')).toBe(at.getTime());
    expect(parseTimestamp('Sat Dec 31 23:59:59 UTC 2022')).toBe(Date.parse('2022-12-31T23:59:59Z'));
  });

  it.each([
    ['a zero-padded day', 'Tue Mar 03 09:05:07 UTC 2026'],
    ['the wrong weekday', 'Wed Mar 3 09:05:07 UTC 2026'],
    ['a day the month lacks', 'Mon Feb 30 09:05:07 UTC 2026'],
    ['another time zone', 'Tue Mar 3 09:05:07 GMT 2026'],
    ['an ISO time', '2026-03-03T09:05:07Z'],
    ['nothing', undefined],
  ])('refuses %s', (_label, text) => {
    expect(parseTimestamp(text)).toBeUndefined();
  });
});

describe("cognito-local's PASSWORD_VERIFIER challenge", () => {
  const userPoolId = 'local_srp0unit';
  const clientId = 'client-1';
  const userId = 'user-1';
  const password = 'Correct-Horse-Battery-42';
  const NOW = Date.parse('2026-03-03T09:05:07Z');

  /** InitiateAuth's half, then the client's answer as amazon-cognito-identity-js makes it. */
  const challengeAndAnswer = async (options: { clientPassword?: string; timestamp?: string } = {}) => {
    const session = randomUUID();
    const client = clientPublicValue(poolNameOf(userPoolId));
    const challenge = createPasswordVerifierChallenge({
      userPoolId,
      clientId,
      userId,
      password,
      srpA: client.srpA,
      session,
      now: NOW,
      validityMs: 180_000,
    });
    if (!challenge) throw new Error('no challenge');
    const key = await clientKeyFor(client, userId, options.clientPassword ?? password, challenge);
    const timestamp = options.timestamp ?? formatTimestamp(new Date(NOW));
    const claim = {
      userPoolId,
      clientId,
      userId,
      password,
      session,
      secretBlock: challenge.SECRET_BLOCK,
      signature: claimSignature(key, poolNameOf(userPoolId), userId, challenge.SECRET_BLOCK, timestamp),
      timestamp,
      now: NOW,
    };
    return { challenge, claim };
  };

  it("accepts the client's proof of the right password, once", async () => {
    const { claim } = await challengeAndAnswer();

    expect(checkPasswordClaim(claim)).toBeUndefined();
    expect(checkPasswordClaim(claim)).toBe('secret block already answered');
  });

  it('refuses the proof of a wrong password', async () => {
    const { claim } = await challengeAndAnswer({ clientPassword: 'Wrong-Horse-Battery-42' });

    expect(checkPasswordClaim(claim)).toBe('signature does not match');
  });

  it('refuses a right proof answered for another user, client, pool or session', async () => {
    const { claim } = await challengeAndAnswer();

    expect(checkPasswordClaim({ ...claim, userId: 'user-2' })).toBe('secret block of another sign-in');
    expect(checkPasswordClaim({ ...claim, clientId: 'client-2' })).toBe('secret block of another sign-in');
    expect(checkPasswordClaim({ ...claim, userPoolId: 'local_other' })).toBe('secret block of another sign-in');
    expect(checkPasswordClaim({ ...claim, session: randomUUID() })).toBe('secret block of another sign-in');
    expect(checkPasswordClaim(claim)).toBeUndefined();
  });

  it('refuses a secret block it did not issue, or one altered', async () => {
    const { claim } = await challengeAndAnswer();
    const raw = Buffer.from(claim.secretBlock, 'base64');
    raw[raw.length - 1] = (raw[raw.length - 1] ?? 0) ^ 1;

    expect(checkPasswordClaim({ ...claim, secretBlock: raw.toString('base64') })).toBe('secret block not issued here');
    expect(checkPasswordClaim({ ...claim, secretBlock: VECTOR.secretBlock })).toBe('secret block not issued here');
    expect(checkPasswordClaim({ ...claim, secretBlock: undefined })).toBe('secret block not issued here');
  });

  it('refuses an answer after the session expired', async () => {
    const { claim } = await challengeAndAnswer();

    expect(checkPasswordClaim({ ...claim, now: NOW + 180_001 })).toBe('secret block expired');
  });

  it('refuses a timestamp in another format or far from its clock, though signed', async () => {
    const padded = await challengeAndAnswer({ timestamp: 'Tue Mar 03 09:05:07 UTC 2026' });
    const late = await challengeAndAnswer({ timestamp: formatTimestamp(new Date(NOW + 5 * 60_000 + 1000)) });

    expect(checkPasswordClaim(padded.claim)).toBe('timestamp not expected');
    expect(checkPasswordClaim(late.claim)).toBe('timestamp not expected');
  });

  it('refuses an SRP_A that is no public value', () => {
    const base = { userPoolId, clientId, userId, password, session: randomUUID(), now: NOW, validityMs: 180_000 };

    expect(createPasswordVerifierChallenge({ ...base, srpA: N.toString(16) })).toBeUndefined();
    expect(createPasswordVerifierChallenge({ ...base, srpA: '0' })).toBeUndefined();
    expect(createPasswordVerifierChallenge({ ...base, srpA: 'not hex' })).toBeUndefined();
  });
});
