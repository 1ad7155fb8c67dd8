import { describe, expect, it } from 'vitest';
import { parseCursorConfig } from '../../../../src/lib/pagination/cursor-codec';

const ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:cursor';
const LOCAL = 'l'.repeat(43);
const onLocalStack = { IS_OFFLINE: 'true' };

describe('the cursor key configuration, checked when the module loads', () => {
  it('takes the stack-generated secret on a deployed stage', () => {
    expect(parseCursorConfig({ CURSOR_SECRET_ARN: ARN, LOCAL_CURSOR_SECRET: '' })).toEqual({ secretArn: ARN, localSecret: undefined });
  });

  it('takes a plain-text key on the local stack', () => {
    expect(parseCursorConfig({ ...onLocalStack, CURSOR_SECRET_ARN: '', LOCAL_CURSOR_SECRET: LOCAL }).localSecret).toBe(LOCAL);
  });

  it('fails a stage with no key at all, instead of its first list request', () => {
    expect(() => parseCursorConfig({ CURSOR_SECRET_ARN: '', LOCAL_CURSOR_SECRET: '' })).toThrow(/Invalid cursor configuration/);
  });

  it('refuses a plain-text key outside the local stack, even beside an ARN', () => {
    expect(() => parseCursorConfig({ CURSOR_SECRET_ARN: ARN, LOCAL_CURSOR_SECRET: LOCAL })).toThrow(/only accepted on the local stack/);
    expect(() => parseCursorConfig({ ...onLocalStack, AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x', LOCAL_CURSOR_SECRET: LOCAL })).toThrow(
      /only accepted on the local stack/,
    );
  });

  it('refuses a short plain-text key and an ARN that is not one', () => {
    expect(() => parseCursorConfig({ ...onLocalStack, LOCAL_CURSOR_SECRET: 'short' })).toThrow(/Invalid cursor configuration/);
    expect(() => parseCursorConfig({ CURSOR_SECRET_ARN: 'my-secret' })).toThrow(/Invalid cursor configuration/);
  });
});
