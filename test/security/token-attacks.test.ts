import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Answer, createAttackLog, type HeaderLines, type Kind, rawGet } from './support/attack-log';
import { byPoolKey, craftJwt, poolHeader, replacePart, withDuplicateClaim, withUnusedSignatureBitsFlipped } from './support/jwt-attacks';
import {
  type AttackWorld,
  attackerSigned,
  bearer,
  buildAttackWorld,
  headerTricks,
  nowSeconds,
  poolSigned,
  remoteKeyAttacks,
  tokenAttacks,
} from './support/token-attack-cases';

/**
 * Token attacks against the running local API (RFC 8725, OWASP ASVS 5.0 V9,
 * jwt_tool's list), each sent over real HTTP to `GET /me` and to the victim's
 * own `GET /tenants/{tenantId}`. The victim is a real signed-up owner, so a
 * forgery that got through would show their data. Every forgery must get the
 * one 401 of SPEC §3, never a 2xx or a 5xx. JWKS outages and the unknown-kid
 * refetch limit are not observable from outside the stack; they are tested in
 * test/unit/lib/auth/jwks-outage.test.ts.
 */

let w: AttackWorld;
const log = createAttackLog();
const routes = () => ['/me', `/tenants/${w.tenantId}`];

const expectInvalidToken = (res: Answer) => {
  expect(res.status).toBe(401);
  expect(res.header('www-authenticate')).toBe('Bearer error="invalid_token"');
  expect(res.header('content-type')).toMatch(/^application\/problem\+json/);
  expect(res.body).toEqual({ type: expect.any(String), title: 'Unauthorized', status: 401, detail: 'A valid access token is required.' });
};

const send = async (family: string, kind: Kind, path: string, lines: HeaderLines) => {
  const res = await rawGet(path, lines);
  log.record(family, kind, res);
  return res;
};

const expectRefusedOnBothRoutes = async (family: string, lines: HeaderLines) => {
  for (const path of routes()) expectInvalidToken(await send(family, 'forged', path, lines));
};

/** A token the pool's key signed, with odd framing or claims: refused, or the victim and no one else. Returns the statuses. */
const expectNoEscalation = async (lines: HeaderLines): Promise<number[]> => {
  const statuses: number[] = [];
  for (const path of routes()) {
    const res = await send('pool-signed', 'pool-signed', path, lines);
    statuses.push(res.status);
    if (res.status === 401) expectInvalidToken(res);
    else {
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject(path === '/me' ? { userId: w.victim.userId, tenantId: w.tenantId } : { tenantId: w.tenantId });
    }
  }
  return statuses;
};

describe('token attacks against the running local API', () => {
  beforeAll(async () => {
    w = await buildAttackWorld();
    log.watchFor(w.victim.userId, w.victim.email, w.tenantId, w.bystander.userId, w.bystander.email, w.bystanderTenantId);
  }, 120_000);

  afterAll(async () => {
    await w?.server.close();
    log.write('Token attacks on GET /me and GET /tenants/{id}: forged, foreign, expired, malformed and oversize tokens, header tricks');
  });

  it('accepts the genuine access token on both routes (the control case)', async () => {
    // Act
    const me = await send('control', 'genuine', '/me', bearer(w.victim.accessToken));
    const tenant = await send('control', 'genuine', `/tenants/${w.tenantId}`, bearer(w.victim.accessToken));

    // Assess
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ userId: w.victim.userId, email: w.victim.email, tenantId: w.tenantId, role: 'owner' });
    expect(tenant.status).toBe(200);
    expect(tenant.body).toMatchObject({ tenantId: w.tenantId });
  });

  it.each(tokenAttacks)('refuses %s', async (_name, family, forge) => {
    // Prepare
    const token = forge(w);

    // Act, Assess
    await expectRefusedOnBothRoutes(family, bearer(token));
  });

  it.each(remoteKeyAttacks)('refuses %s, and the attacker server hears nothing', async (_name, header) => {
    // Prepare: the attacker's key signs, the header says where to find it
    const token = attackerSigned(w, header(w));

    // Act, Assess
    await expectRefusedOnBothRoutes('remote-key', bearer(token));
    expect(w.server.requests).toEqual([]);
  });

  it('refuses a burst of 20 tokens with unknown kids at once, each with the 401', async () => {
    // Prepare: the pool's real signature under kids the JWKS does not hold
    const tokens = Array.from({ length: 20 }, (_, i) => poolSigned(w, {}, { kid: `burst-${i}` }));

    // Act
    const answers = await Promise.all(tokens.map((token) => send('kid', 'forged', '/me', bearer(token))));

    // Assess
    for (const res of answers) expectInvalidToken(res);
  });

  it.each([
    ['16 KB', 16 * 1024],
    ['64 KB', 64 * 1024],
  ])('refuses a %s Authorization header before the Lambda, with a 4xx or a closed connection', async (_size, bytes) => {
    // Prepare
    const lines: HeaderLines = [['Authorization', `Bearer ${'A'.repeat(bytes)}`]];

    // Act
    const answers: Answer[] = [];
    for (const path of routes()) answers.push(await send('oversize', 'forged', path, lines));

    // Assess: past Node's 16 KiB header limit hapi (serverless-offline) answers a bare 400 (Node alone a 431), or the
    // connection closes before the answer is read; API Gateway HTTP APIs refuse request line and headers over 10,240 bytes.
    for (const res of answers) expect([0, 400, 431]).toContain(res.status);
  });

  describe('Authorization header tricks', () => {
    it.each(headerTricks)('refuses %s', async (_name, lines) => {
      await expectRefusedOnBothRoutes('header-tricks', lines(w));
    });

    it('refuses the genuine token sent only as the access_token query parameter (RFC 6750 §2.3, not offered)', async () => {
      for (const path of routes()) {
        expectInvalidToken(await send('header-tricks', 'forged', `${path}?access_token=${w.victim.accessToken}`, []));
      }
    });

    it('accepts the genuine token with the lower-case scheme "bearer": the scheme is case-insensitive (RFC 9110 §11.1)', async () => {
      // Act
      const res = await send('control', 'genuine', '/me', [['Authorization', `bearer ${w.victim.accessToken}`]]);

      // Assess
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ userId: w.victim.userId });
    });

    it.each([
      ['two spaces', '  '],
      ['a tab', '\t'],
    ])('refuses the genuine token after %s: one space is read (stricter than RFC 9110 1*SP, fails closed)', async (_name, gap) => {
      for (const path of routes()) {
        expectInvalidToken(await send('header-tricks', 'genuine', path, [['Authorization', `Bearer${gap}${w.victim.accessToken}`]]));
      }
    });

    it("acts as the token's user, not as an sls-offline-authorizer-override naming another", async () => {
      // Prepare
      const override = JSON.stringify({
        jwt: { claims: { sub: w.bystander.userId, email: w.bystander.email, tenant_id: w.bystanderTenantId, tenant_role: 'owner' } },
      });
      const lines: HeaderLines = [...bearer(w.victim.accessToken), ['sls-offline-authorizer-override', override]];

      // Act
      const me = await send('override', 'genuine', '/me', lines);
      const theirs = await send('override', 'forged', `/tenants/${w.bystanderTenantId}`, lines);

      // Assess
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({ userId: w.victim.userId, email: w.victim.email, tenantId: w.tenantId });
      expect(theirs.status).toBe(403);
      expect(theirs.text).not.toContain(w.bystander.email);
    });
  });

  describe('tokens the pool key signed with odd framing or claims: refused, or the victim and no one else', () => {
    it('takes the last of duplicated token_use members ("id" then "access"), as JSON.parse does and RFC 7519 §4 allows', async () => {
      // Prepare
      const token = craftJwt(poolHeader(), withDuplicateClaim(w.claims, 'token_use', 'id', 'access'), byPoolKey);

      // Act, Assess
      expect(await expectNoEscalation(bearer(token))).toEqual([200, 200]);
    });

    it('does not check iat: an iat an hour ahead is still the victim (aws-jwt-verify checks only exp and nbf)', async () => {
      expect(await expectNoEscalation(bearer(poolSigned(w, { iat: nowSeconds() + 3600 })))).toEqual([200, 200]);
    });

    it('ignores a crit header naming an unknown extension (aws-jwt-verify does not read crit)', async () => {
      const token = poolSigned(w, {}, { crit: ['urn:x-tg:unknown'], 'urn:x-tg:unknown': true });

      expect(await expectNoEscalation(bearer(token))).toEqual([200, 200]);
    });

    it.each([
      ['"=" padding after the genuine signature', (token: string) => replacePart(token, 'signature', (s) => `${s}=`)],
      ["the unused low bits of the signature's last character flipped", withUnusedSignatureBitsFlipped],
    ])('reads %s as the same signature bytes: the victim, no one else', async (_name, change) => {
      const token = change(w.victim.accessToken);
      expect(token).not.toBe(w.victim.accessToken);

      expect(await expectNoEscalation(bearer(token))).toEqual([200, 200]);
    });
  });

  it('never accepted a forged token, never answered 5xx and leaked nothing over the whole suite', () => {
    expect(log.totals.accepted).toBe(0);
    expect(log.totals.serverErrors).toBe(0);
    expect(log.totals.leaks).toBe(0);
    expect(log.totals.cases).toBeGreaterThanOrEqual(200);
  });
});
