import { describe, expect, it } from 'vitest';
import { authConfig, parseAuthConfig } from '../../../../src/lib/auth/auth-config';
import { TEST_USER_POOL_ID } from '../../support/test-env';

const awsEnv = (): NodeJS.ProcessEnv => ({
  USER_POOL_ID: TEST_USER_POOL_ID,
  APP_CLIENT_IDS: 'webclient1, mobileclient2',
  AWS_REGION: 'eu-west-1',
});

const LOCAL_ISSUER = `http://127.0.0.1:9229/${TEST_USER_POOL_ID}`;
const localEnv = (issuer = LOCAL_ISSUER): NodeJS.ProcessEnv => ({ ...awsEnv(), LOCAL_TOKEN_ISSUER: issuer, IS_OFFLINE: 'true' });

describe('parseAuthConfig', () => {
  it('accepts the AWS configuration', () => {
    // Act
    const config = parseAuthConfig(awsEnv());

    // Assess
    expect(config).toEqual({
      userPoolId: TEST_USER_POOL_ID,
      clientIds: ['webclient1', 'mobileclient2'],
      region: 'eu-west-1',
      localIssuer: undefined,
      cacheMillis: 4000,
    });
  });

  it("treats LOCAL_TOKEN_ISSUER='' (as serverless.yml sets on deployed stages) as unset, inside a Lambda runtime", () => {
    // Prepare
    const deployed = { ...awsEnv(), LOCAL_TOKEN_ISSUER: '', AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x' };

    // Act
    const config = parseAuthConfig(deployed);

    // Assess
    expect(config.localIssuer).toBeUndefined();
  });

  it('reads the configuration of the test environment at load', () => {
    expect(authConfig).toMatchObject({ userPoolId: TEST_USER_POOL_ID, localIssuer: undefined, cacheMillis: 4000 });
  });

  it.each([
    `http://127.0.0.1:9229/${TEST_USER_POOL_ID}`,
    `http://localhost:9229/${TEST_USER_POOL_ID}`,
    `http://[::1]:9229/${TEST_USER_POOL_ID}`,
  ])('accepts the loopback local issuer %s under serverless-offline', (issuer) => {
    // Act
    const config = parseAuthConfig(localEnv(issuer));

    // Assess
    expect(config.localIssuer).toBe(issuer);
  });

  it.each([undefined, 'false', '1', 'TRUE'])('refuses a local issuer when IS_OFFLINE is %j', (isOffline) => {
    // Prepare
    const env = { ...localEnv(), IS_OFFLINE: isOffline };

    // Act
    const parse = () => parseAuthConfig(env);

    // Assess
    expect(parse).toThrow(/only accepted on the local stack/);
  });

  it.each(['AWS_Lambda_nodejs22.x', 'AWS_Lambda_nodejs20.x'])(
    'refuses a local issuer inside a Lambda runtime (%s), even offline',
    (runtime) => {
      // Prepare
      const env = { ...localEnv(), AWS_EXECUTION_ENV: runtime };

      // Act
      const parse = () => parseAuthConfig(env);

      // Assess
      expect(parse).toThrow(/only accepted on the local stack/);
    },
  );

  it.each([
    `http://10.0.0.5:9229/${TEST_USER_POOL_ID}`,
    `http://cognito.attacker.test/${TEST_USER_POOL_ID}`,
    `http://127.0.0.1.attacker.test/${TEST_USER_POOL_ID}`,
    `http://localhost@attacker.test/${TEST_USER_POOL_ID}`,
    `http://0.0.0.0:9229/${TEST_USER_POOL_ID}`,
  ])('refuses the non-loopback local issuer %s', (issuer) => {
    expect(() => parseAuthConfig(localEnv(issuer))).toThrow(/only accepted on the local stack/);
  });

  it.each(['http://127.0.0.1:9229/eu-west-1_OtherPool9', 'http://127.0.0.1:9229/', `http://127.0.0.1:9229/${TEST_USER_POOL_ID}x`])(
    'refuses the local issuer %s, which does not name the configured pool',
    (issuer) => {
      expect(() => parseAuthConfig(localEnv(issuer))).toThrow(/must name the configured user pool/);
    },
  );

  it('refuses a local issuer that is not a URL', () => {
    expect(() => parseAuthConfig(localEnv('not a url'))).toThrow(/Invalid auth configuration/);
  });

  it.each(['', ' , ', ','])('refuses the empty client list %j', (clientIds) => {
    expect(() => parseAuthConfig({ ...awsEnv(), APP_CLIENT_IDS: clientIds })).toThrow(/at least one app client id/);
  });

  it('refuses a missing client list', () => {
    expect(() => parseAuthConfig({ ...awsEnv(), APP_CLIENT_IDS: undefined })).toThrow(/Invalid auth configuration/);
  });

  it.each([undefined, '', 'TestPool1', 'eu-west-1_', 'eu-west-1_pool/..'])('refuses the user pool id %j', (poolId) => {
    expect(() => parseAuthConfig({ ...awsEnv(), USER_POOL_ID: poolId })).toThrow(/Invalid auth configuration/);
  });

  it.each([
    ['0', 0],
    ['2.5', 2500],
    ['5', 5000],
  ])('reads AUTH_CACHE_SECONDS=%s as %i ms', (seconds, millis) => {
    expect(parseAuthConfig({ ...awsEnv(), AUTH_CACHE_SECONDS: seconds }).cacheMillis).toBe(millis);
  });

  it.each(['5.001', '6', '60', '-1', 'abc'])('refuses AUTH_CACHE_SECONDS=%s (revocation must take effect within 5 s)', (seconds) => {
    expect(() => parseAuthConfig({ ...awsEnv(), AUTH_CACHE_SECONDS: seconds })).toThrow(/Invalid auth configuration/);
  });
});
