import { describe, expect, it } from 'vitest';
import { runsOnLocalStack } from '../../../src/lib/env-names';

describe('runsOnLocalStack', () => {
  it('is true under serverless-offline outside a Lambda runtime', () => {
    expect(runsOnLocalStack({ IS_OFFLINE: 'true' })).toBe(true);
  });

  it('is false on a deployed function, even when IS_OFFLINE is set there', () => {
    expect(runsOnLocalStack({ IS_OFFLINE: 'true', AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x' })).toBe(false);
    expect(runsOnLocalStack({ AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x' })).toBe(false);
  });

  it('is false without IS_OFFLINE=true', () => {
    expect(runsOnLocalStack({})).toBe(false);
    expect(runsOnLocalStack({ IS_OFFLINE: '1' })).toBe(false);
  });
});
