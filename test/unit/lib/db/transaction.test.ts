import { ProvisionedThroughputExceededException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { commit, type TransactItem, tryCommit } from '../../../../src/lib/db/transaction';
import { ConflictError, NotFoundError } from '../../../../src/lib/errors';
import { ddbMock } from '../../support/dynamodb';

const item = (sk: string): TransactItem => ({
  ConditionCheck: { TableName: 't', Key: { pk: 'p', sk }, ConditionExpression: 'attribute_exists(pk)' },
});
const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

describe('the transaction helper', () => {
  beforeEach(() => ddbMock.reset());

  it('sends every item in one transaction with an idempotency token, so an SDK retry of a landed write succeeds', async () => {
    ddbMock.on(TransactWriteCommand).resolves({});

    await commit([item('a'), item('b')]);

    const input = ddbMock.commandCalls(TransactWriteCommand)[0]?.args[0].input;
    expect(input?.TransactItems).toHaveLength(2);
    expect(input?.ClientRequestToken).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('names the items whose condition failed, by identity', async () => {
    const [a, b, c] = [item('a'), item('b'), item('c')];
    ddbMock.on(TransactWriteCommand).rejects(cancelled('None', 'ConditionalCheckFailed', 'None'));

    const result = await tryCommit([a, b, c]);

    expect(result).toEqual({ ok: false, reason: 'condition', failed: [b] });
    expect(result.ok === false && result.reason === 'condition' && result.failed[0]).toBe(b);
  });

  it('turns a failed condition into the error its rule stands for', async () => {
    const [a, b] = [item('a'), item('b')];
    ddbMock.on(TransactWriteCommand).rejects(cancelled('ConditionalCheckFailed', 'None'));

    await expect(commit([a, b], (failed) => new NotFoundError(failed.includes(a) ? 'a is gone' : 'other'))).rejects.toThrow('a is gone');
  });

  it('answers a conflict with a concurrent transaction as a 409, whatever the conditions', async () => {
    ddbMock.on(TransactWriteCommand).rejects(cancelled('TransactionConflict', 'None'));

    await expect(commit([item('a'), item('b')], () => new NotFoundError('not this'))).rejects.toBeInstanceOf(ConflictError);
    expect(await tryCommit([item('a')])).toEqual({ ok: false, reason: 'conflict' });
  });

  it('passes throttling and outages on untouched (the HTTP layer answers them 503)', async () => {
    const throttled = new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} });
    ddbMock.on(TransactWriteCommand).rejects(throttled);

    await expect(tryCommit([item('a')])).rejects.toBe(throttled);
    ddbMock.on(TransactWriteCommand).rejects(cancelled('ThrottlingError'));
    await expect(commit([item('a')])).rejects.toBeInstanceOf(TransactionCanceledException);
  });
});
