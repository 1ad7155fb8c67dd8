import { describe, expect, it } from 'vitest';
import { parseIdentityPoolConfig } from '../../../../src/lib/users/identity-pool';

const POOL = 'eu-west-1:0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f';
const LOCAL = { IS_OFFLINE: 'true' };

describe('parseIdentityPoolConfig', () => {
  it('reads the pool id, and no endpoint on AWS', () => {
    expect(parseIdentityPoolConfig({ IDENTITY_POOL_ID: POOL, COGNITO_IDENTITY_ENDPOINT: '' })).toEqual({
      identityPoolId: POOL,
      endpoint: undefined,
    });
  });

  it('takes the local emulator on the local stack', () => {
    expect(parseIdentityPoolConfig({ ...LOCAL, IDENTITY_POOL_ID: POOL, COGNITO_IDENTITY_ENDPOINT: 'http://127.0.0.1:9230' })).toEqual({
      identityPoolId: POOL,
      endpoint: 'http://127.0.0.1:9230',
    });
  });

  it('refuses an endpoint inside a real Lambda runtime, or one not on this machine', () => {
    const endpoint = { IDENTITY_POOL_ID: POOL, COGNITO_IDENTITY_ENDPOINT: 'http://127.0.0.1:9230' };
    expect(() => parseIdentityPoolConfig(endpoint)).toThrow('only accepted on the local stack');
    expect(() => parseIdentityPoolConfig({ ...endpoint, ...LOCAL, AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x' })).toThrow(
      'only accepted on the local stack',
    );
    expect(() => parseIdentityPoolConfig({ ...LOCAL, IDENTITY_POOL_ID: POOL, COGNITO_IDENTITY_ENDPOINT: 'https://example.com' })).toThrow(
      'only accepted on the local stack',
    );
  });

  it('fails the cold start without a pool id of the right shape', () => {
    expect(() => parseIdentityPoolConfig({})).toThrow('Invalid identity pool configuration');
    expect(() => parseIdentityPoolConfig({ IDENTITY_POOL_ID: 'eu-west-1_UserPool1' })).toThrow('must be an identity pool id');
  });
});
