import { describe, expect, it } from 'vitest';
import { INBOX_PATH_PROBLEM, isInboxKey, parseInboxKey } from '../../../../src/lib/files/inbox-key';

const TENANT = '5b0c3c4e-9f7a-4d52-9a51-3c1e8b0f2d11';
const IDENTITY = 'eu-west-1:1f0e2d3c-4b5a-4978-8695-a4b3c2d1e0f9';
const inbox = (rest: string, tenant = TENANT, identity = IDENTITY) => `tenants/${tenant}/inbox/${identity}/${rest}`;

describe('isInboxKey', () => {
  it('tells an inbox key from a file key', () => {
    expect(isInboxKey(inbox('scores.csv'))).toBe(true);
    expect(isInboxKey(`tenants/${TENANT}/files/01977a4c-5b00-7abc-8def-0123456789ab`)).toBe(false);
    expect(isInboxKey(`tenants/${TENANT}/inboxes/${IDENTITY}/a.csv`)).toBe(false);
    expect(isInboxKey(`other/${TENANT}/inbox/${IDENTITY}/a.csv`)).toBe(false);
  });
});

describe('parseInboxKey', () => {
  it('reads the tenant, the identity and the name of an inbox key', () => {
    expect(parseInboxKey(inbox('scores.csv'))).toEqual({
      key: inbox('scores.csv'),
      tenantId: TENANT,
      identityId: IDENTITY,
      name: 'scores.csv',
    });
  });

  it('takes the last segment of a nested path as the name', () => {
    expect(parseInboxKey(inbox('2026/q3/scores.csv'))).toMatchObject({ name: 'scores.csv' });
    expect(parseInboxKey(inbox('2026/q3/scores.csv'))?.pathProblem).toBeUndefined();
  });

  it.each([
    ['a ".." segment', '../scores.csv'],
    ['a ".." segment further down', 'q3/../../scores.csv'],
    ['a "." segment', './scores.csv'],
    ['an empty segment', 'q3//scores.csv'],
    ['no name after the identity', ''],
    ['a trailing slash (a folder marker)', 'q3/'],
  ])('reports %s below the identity as a path problem', (_case, rest) => {
    expect(parseInboxKey(inbox(rest))).toMatchObject({ tenantId: TENANT, identityId: IDENTITY, pathProblem: INBOX_PATH_PROBLEM });
  });

  it.each([
    ['a tenant id with a reserved character', 'TENANT#1'],
    ['a tenant id with a dot', 'a.b'],
    ['a ".." tenant segment', '..'],
    ['an empty tenant segment', ''],
    ['a tenant id longer than any id', 'a'.repeat(65)],
  ])('names nobody for %s', (_case, tenant) => {
    expect(parseInboxKey(inbox('scores.csv', tenant))).toBeUndefined();
  });

  it.each([
    ['an identity id without its region', '1f0e2d3c-4b5a-4978-8695-a4b3c2d1e0f9'],
    ['a ".." identity segment', '..'],
    ['an empty identity segment', ''],
    ['an identity id with upper-case hex', 'eu-west-1:1F0E2D3C-4B5A-4978-8695-A4B3C2D1E0F9'],
    ['an identity id longer than Cognito makes', `eu-west-1:${'a'.repeat(50)}`],
  ])('names nobody for %s', (_case, identity) => {
    expect(parseInboxKey(inbox('scores.csv', TENANT, identity))).toBeUndefined();
  });

  it('names nobody for a key with no path below the identity', () => {
    expect(parseInboxKey(`tenants/${TENANT}/inbox/${IDENTITY}`)).toBeUndefined();
    expect(parseInboxKey(`tenants/${TENANT}/files/x`)).toBeUndefined();
  });
});
