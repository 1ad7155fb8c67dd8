import { TransactGetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { isEnded } from '../../../../src/lib/auth/auth-context';
import { readSessionState } from '../../../../src/lib/auth/session-state';
import { ddbMock } from '../../support/dynamodb';
import { TEST_TABLE_NAME } from '../../support/test-env';

describe('readSessionState', () => {
  beforeEach(() => {
    ddbMock.reset();
  });

  it("reads the revoked-session marker, the user-wide marker and the user's side of the membership in one round trip", async () => {
    // Prepare
    ddbMock.on(TransactGetCommand).resolves({ Responses: [{}, {}, { Item: { pk: 'USER#user-1', role: 'admin' } }] });

    // Act
    const state = await readSessionState('user-1', 'session-1', 'tenant-a');

    // Assess
    expect(state).toEqual({ revoked: false, notBefore: undefined, currentRole: 'admin' });
    const calls = ddbMock.calls();
    expect(calls).toHaveLength(1);
    const keys = ddbMock.commandCalls(TransactGetCommand)[0]?.args[0].input.TransactItems?.map((i) => [i.Get?.TableName, i.Get?.Key]);
    expect(keys).toEqual([
      [TEST_TABLE_NAME, { pk: 'USER#user-1#SESSIONS', sk: 'SESSION#session-1' }],
      [TEST_TABLE_NAME, { pk: 'USER#user-1#SESSIONS', sk: 'ALL' }],
      [TEST_TABLE_NAME, { pk: 'USER#user-1', sk: 'MEMBERSHIP#tenant-a' }],
    ]);
  });

  it('reports when every session of the user was ended, and which tokens that ends', async () => {
    // Prepare
    ddbMock.on(TransactGetCommand).resolves({ Responses: [{}, { Item: { pk: 'USER#user-1#SESSIONS', notBefore: 1_800_000_000 } }, {}] });

    // Act
    const state = await readSessionState('user-1', 'session-1', 'tenant-a');

    // Assess: a token issued up to that second is ended; one issued after is not
    expect(state.notBefore).toBe(1_800_000_000);
    expect(isEnded(state, 1_799_999_999)).toBe(true);
    expect(isEnded(state, 1_800_000_000)).toBe(true);
    expect(isEnded(state, 1_800_000_001)).toBe(false);
  });

  it('reports a revoked session', async () => {
    // Prepare
    ddbMock
      .on(TransactGetCommand)
      .resolves({ Responses: [{ Item: { pk: 'USER#user-1' } }, {}, { Item: { pk: 'USER#user-1', role: 'owner' } }] });

    // Act
    const state = await readSessionState('user-1', 'session-1', 'tenant-a');

    // Assess
    expect(state.revoked).toBe(true);
  });

  it('reports no role when the membership is gone', async () => {
    // Prepare
    ddbMock.on(TransactGetCommand).resolves({ Responses: [{}, {}, {}] });

    // Act
    const state = await readSessionState('user-1', 'session-1', 'tenant-a');

    // Assess
    expect(state).toEqual({ revoked: false, notBefore: undefined, currentRole: undefined });
  });

  it('treats a stored role it does not know as no membership', async () => {
    // Prepare
    ddbMock.on(TransactGetCommand).resolves({ Responses: [{}, {}, { Item: { pk: 'USER#user-1', role: 'superuser' } }] });

    // Act
    const state = await readSessionState('user-1', 'session-1', 'tenant-a');

    // Assess
    expect(state.currentRole).toBeUndefined();
  });

  it('reads only the session markers without a tenant', async () => {
    // Prepare
    ddbMock.on(TransactGetCommand).resolves({ Responses: [{}, {}] });

    // Act
    const state = await readSessionState('user-1', 'session-1', undefined);

    // Assess
    expect(state).toEqual({ revoked: false, notBefore: undefined, currentRole: undefined });
    expect(ddbMock.commandCalls(TransactGetCommand)[0]?.args[0].input.TransactItems).toHaveLength(2);
  });

  it('rejects when the read fails', async () => {
    // Prepare
    ddbMock.on(TransactGetCommand).rejects(new Error('InternalServerError'));

    // Act
    const reading = readSessionState('user-1', 'session-1', 'tenant-a');

    // Assess
    await expect(reading).rejects.toThrow('InternalServerError');
  });
});
