import { describe, expect, it } from 'vitest';
import { config, parseAppConfig } from '../../../src/lib/config';
import { TEST_TABLE_NAME } from '../support/test-env';

const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({ TABLE_NAME: 'tenantgate-dev', AWS_REGION: 'eu-west-1', ...extra });

describe('parseAppConfig', () => {
  it('reads the table and applies the defaults', () => {
    // Act
    const parsed = parseAppConfig(env());

    // Assess
    expect(parsed).toEqual({
      stage: 'local',
      region: 'eu-west-1',
      tableName: 'tenantgate-dev',
      dynamodbEndpoint: undefined,
      auditRetentionDays: 365,
      inviteTtlDays: 7,
      invitesPerHour: 100,
    });
  });

  it("treats DYNAMODB_ENDPOINT='' (as serverless.yml sets on deployed stages) as unset", () => {
    expect(parseAppConfig(env({ DYNAMODB_ENDPOINT: '' })).dynamodbEndpoint).toBeUndefined();
  });

  it('uses a DynamoDB endpoint when one is given', () => {
    expect(parseAppConfig(env({ DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000' })).dynamodbEndpoint).toBe('http://127.0.0.1:8000');
  });

  it('refuses a DynamoDB endpoint that is not a URL', () => {
    expect(() => parseAppConfig(env({ DYNAMODB_ENDPOINT: 'localhost 8000' }))).toThrow(/Invalid app configuration/);
  });

  it.each([undefined, ''])('refuses the table name %j', (tableName) => {
    expect(() => parseAppConfig(env({ TABLE_NAME: tableName }))).toThrow(/Invalid app configuration/);
  });

  it.each([
    ['INVITE_TTL_DAYS', '0'],
    ['INVITE_TTL_DAYS', '31'],
    ['INVITE_TTL_DAYS', '1.5'],
    ['AUDIT_RETENTION_DAYS', '0'],
    ['AUDIT_RETENTION_DAYS', '3651'],
  ])('refuses %s=%s', (name, value) => {
    expect(() => parseAppConfig(env({ [name]: value }))).toThrow(/Invalid app configuration/);
  });

  it('reads the configuration of the test environment at load', () => {
    expect(config).toMatchObject({ stage: 'test', tableName: TEST_TABLE_NAME, dynamodbEndpoint: undefined });
  });
});
