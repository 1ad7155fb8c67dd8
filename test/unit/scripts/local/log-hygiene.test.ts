import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findLeaks, type Mail, type Secrets, scanStateDir, secretsOfMail } from '../../../../scripts/local/log-hygiene';

/**
 * The scanner the integration run ends with: it must find every kind of
 * secret planted in realistic log lines, and nothing in the lines a clean run
 * writes (ids, times, sizes, the 401's own `Bearer error=` header).
 */
const INVITE_CODE = 'q7Xr2-Vd_k9PzLmN3sTuWa';
const inviteMail: Mail = {
  to: 'new@example.test',
  subject: 'You are invited to Acme',
  text: [
    'You have been invited to join Acme as member.',
    '',
    `Sign up with this email address (new@example.test): http://localhost:5173/sign-up?email=new%40example.test&invite=0195f0c2-1111-7000-8000-000000000001&invite_code=${INVITE_CODE}`,
    'If you already have an account, sign in and accept the invitation from your pending invites.',
  ].join('\n'),
  at: '2026-11-30T12:00:00.000Z',
};
const codeMail: Mail = {
  to: 'new@example.test',
  subject: 'Your verification code',
  text: 'Your verification code is 482913',
  at: '2026-11-30T12:00:01.000Z',
};
const temporaryPasswordMail: Mail = {
  to: 'admin-made@example.test',
  subject: 'Welcome',
  text: 'Your username is admin-made@example.test and temporary password is Tmp#Pa55!word.',
  at: '2026-11-30T12:00:02.000Z',
};
const PASSWORD = 'Correct-Horse-Battery-42';
const ACCESS_TOKEN =
  'eyJhbGciOiJSUzI1NiIsImtpZCI6IkNvZ25pdG9Mb2NhbCJ9.eyJzdWIiOiJ1c2VyLTEiLCJ0b2tlbl91c2UiOiJhY2Nlc3MifQ.c2lnbmF0dXJlLW9mLXRoZS10b2tlbg';

const secrets: Secrets = { passwords: [PASSWORD], ...secretsOfMail([inviteMail, codeMail, temporaryPasswordMail]) };

/** A line as Powertools prints it, with the keys a request carries. */
const powertoolsLine = (fields: Record<string, unknown>) =>
  JSON.stringify({
    level: 'INFO',
    message: 'Request answered',
    timestamp: '2026-11-30T12:00:03.482Z',
    service: 'tenantgate',
    cold_start: false,
    function_name: 'tenantgate-local-getTenant',
    function_request_id: 'a1b2c3d4-4829-1300-9f00-482913000000',
    correlation_id: 'cr4829130x',
    userId: '0195f0c2-2222-7000-8000-000000482913',
    tenantId: '0195f0c2-3333-7000-8000-000000000003',
    ...fields,
  });

const kindsFound = (lines: string[]) => findLeaks('api.log', lines.join('\n'), secrets).map((leak) => leak.kind);

describe('secretsOfMail', () => {
  it('reads the invite code of a sign-up link, a verification code and a temporary password', () => {
    expect(secrets.codes).toEqual(expect.arrayContaining([INVITE_CODE, '482913', 'Tmp#Pa55!word']));
  });

  it('keeps the whole text of every mail and each of its longer lines', () => {
    expect(secrets.mailTexts).toEqual(
      expect.arrayContaining(['Your verification code is 482913', 'You have been invited to join Acme as member.']),
    );
  });
});

describe('findLeaks', () => {
  it.each([
    ['an access token in a field', powertoolsLine({ token: ACCESS_TOKEN }), 'token'],
    ['an unsigned token', `Token: ${ACCESS_TOKEN.split('.').slice(0, 2).join('.')}.`, 'token'],
    ['an Authorization header', powertoolsLine({ headers: { authorization: 'Bearer abcdefghijklmnopqrstuvwxyz012345' } }), 'token'],
    ['the test password', powertoolsLine({ reason: `wrong: ${PASSWORD}` }), 'password'],
    ['a password field', powertoolsLine({ body: { password: 'anything-at-all' } }), 'password'],
    ['a password field inspected by console.log', "{ Username: 'a@b.test', Password: 'whatever-it-is' }", 'password'],
    ['a verification code', powertoolsLine({ code: '482913' }), 'code'],
    ['an invite code', powertoolsLine({ validationData: { invite_code: INVITE_CODE } }), 'code'],
    ['a temporary password', `cognito: created user with Tmp#Pa55!word`, 'code'],
    [
      'a mail text, JSON-escaped',
      powertoolsLine({ mail: { text: 'You have been invited to join Acme as member.\n\nSign up…' } }),
      'mail text',
    ],
  ])('finds %s', (_case, line, kind) => {
    expect(kindsFound([line])).toContain(kind);
  });

  it('finds nothing in the lines of a clean run', () => {
    // Prepare: ids, times and sizes that hold the code's digits inside longer words, and our own 401 header
    const lines = [
      powertoolsLine({ route: 'GET /tenants/{tenantId}', status: 200, durationMs: 12, size: 14829130 }),
      powertoolsLine({ message: 'Token refused', reason: 'JwtExpiredError: Token expired at 1764504829' }),
      powertoolsLine({ message: 'Request answered', status: 401, headers: { 'www-authenticate': 'Bearer error="invalid_token"' } }),
      powertoolsLine({ message: 'Password reset: every session ended' }),
      'GET /tenants/0195f0c2-3333-7000-8000-000000000003 (λ: getTenant)',
      '(λ: getTenant) RequestId: 5f3c9d21-4829-13ab-b2c4-9e8f7a6b5c4d  Duration: 48.29 ms  Billed Duration: 49 ms',
      '{"at":"2026-11-30T12:00:04.000Z","triggerSource":"PostAuthentication_Authentication","clientId":"abc","userName":"0195f0c2-2222","clientMetadata":null}',
    ];

    // Act
    const leaks = findLeaks('api.log', lines.join('\n'), secrets);

    // Assess
    expect(leaks).toEqual([]);
  });

  it('names the file and line of a leak, and masks the secret', () => {
    // Act
    const [leak] = findLeaks('api.log', ['clean', powertoolsLine({ code: '482913' })].join('\n'), secrets);

    // Assess
    expect(leak).toEqual({ file: 'api.log', line: 2, kind: 'code', what: '4829… (6 chars)' });
  });
});

describe('scanStateDir', () => {
  it("scans every log of a state dir for its mail's codes and the passwords given", () => {
    // Prepare
    const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenantgate-hygiene-'));
    try {
      fs.mkdirSync(path.join(stateDir, 'mail'));
      fs.mkdirSync(path.join(stateDir, 'logs'));
      fs.writeFileSync(path.join(stateDir, 'mail', 'one.json'), JSON.stringify(codeMail));
      fs.writeFileSync(path.join(stateDir, 'logs', 'api.log'), `${powertoolsLine({})}\n`);
      fs.writeFileSync(path.join(stateDir, 'logs', 'cognito.log'), `verifying 482913\npassword ${PASSWORD}\n`);

      // Act
      const leaks = scanStateDir(stateDir, [PASSWORD]);

      // Assess
      expect(leaks).toEqual([
        expect.objectContaining({ file: 'cognito.log', line: 2, kind: 'password' }),
        expect.objectContaining({ file: 'cognito.log', line: 1, kind: 'code' }),
      ]);
    } finally {
      fs.rmSync(stateDir, { recursive: true, force: true });
    }
  });
});
