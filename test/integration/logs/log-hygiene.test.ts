import { beforeAll, describe, expect, it } from 'vitest';
import { readLogs, readMailbox, scanStateDir } from '../../../scripts/local/log-hygiene';
import { api } from '../support/api';
import { functionLogLines, logsSettled } from '../support/logs';
import { NEW_PASSWORD, PASSWORD, stateDir } from '../support/stack';
import { inviteAndSignUp, tenantWithOwner } from '../support/world';

/**
 * The logs of the whole integration run, scanned for what must never be
 * logged: a token, a password, a verification or invite code, a mail's text.
 * This file runs after every other integration file (test/run-last-sequencer.mts),
 * so it sees everything they made the stack log: the API's and the triggers'
 * lines (serverless-offline's api.log), what the pool handed each trigger
 * (cognito-triggers.jsonl) and the emulators' own logs. It makes a little run
 * of its own first, so that alone it still has something to scan.
 */
beforeAll(async () => {
  const { tenantId, owner } = await tenantWithOwner('Hygiene');
  await inviteAndSignUp(tenantId, owner, 'member');
  await api(`/tenants/${tenantId}`, { token: owner.accessToken });
  // Refused tokens: a tampered signature and no JWT at all, whose reasons are logged.
  await api('/me', { token: `${owner.accessToken.slice(0, -4)}AAAA` });
  await api('/me', { token: 'eyJub3QiOiJhIHRva2VuIn0.e30.' });
  await logsSettled();
});

describe("the integration run's logs", () => {
  it('hold no token, password, verification or invite code, or mail text', () => {
    // Act
    const leaks = scanStateDir(stateDir, [PASSWORD, NEW_PASSWORD]);

    // Assess
    expect(leaks).toEqual([]);
  });

  it('are the real thing: the functions’ lines, the triggers’ events and the mail the codes came from', () => {
    // Act
    const files = readLogs(stateDir).map((log) => log.file);
    const lines = functionLogLines();

    // Assess
    expect(files).toEqual(expect.arrayContaining(['api.log', 'cognito-triggers.jsonl', 'cognito.log']));
    expect(lines).toContainEqual(expect.objectContaining({ message: 'Request answered', status: 200 }));
    expect(lines).toContainEqual(expect.objectContaining({ message: 'Sign-up confirmed' }));
    expect(readMailbox(stateDir).some((mail) => mail.text.includes('invite_code='))).toBe(true);
    expect(readMailbox(stateDir).some((mail) => /\bcode is \d{6}\b/.test(mail.text))).toBe(true);
  });
});
