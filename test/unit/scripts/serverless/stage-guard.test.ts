import { describe, expect, it } from 'vitest';

// The plugin is CommonJS (Serverless loads it with require); its rules are plain functions.
import guard from '../../../../scripts/serverless/stage-guard.cjs';

type Template = {
  Resources: Record<string, { Type: string; Properties: Record<string, unknown>; DeletionPolicy?: string; UpdateReplacePolicy?: string }>;
};
const {
  stageNameProblem,
  webOriginProblem,
  droppedWebOrigin,
  hasCompletedOnce,
  deployedLoginPrefix,
  firstDeployTemplate,
  keepLoginPrefix,
  withoutUnusedDefaultRole,
} = guard;

const stack = (outputs: Record<string, string>) => ({
  Outputs: Object.entries(outputs).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })),
});

const template = (): Template => ({
  Resources: {
    UserPool: {
      Type: 'AWS::Cognito::UserPool',
      Properties: { DeletionProtection: 'ACTIVE' },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    },
    MainTable: {
      Type: 'AWS::DynamoDB::Table',
      Properties: { DeletionProtectionEnabled: true },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    },
    UploadsBucket: { Type: 'AWS::S3::Bucket', Properties: {}, DeletionPolicy: 'Retain' },
    UserPoolDomain: { Type: 'AWS::Cognito::UserPoolDomain', Properties: { Domain: { 'Fn::Join': ['-', ['tenantgate', 'prod', 'x']] } } },
    IamRoleLambdaExecution: { Type: 'AWS::IAM::Role', Properties: {} },
    GetMeLambdaFunction: { Type: 'AWS::Lambda::Function', Properties: { Role: { 'Fn::GetAtt': ['GetMeIamRoleLambdaExecution', 'Arn'] } } },
  },
});

describe('stage names', () => {
  it.each(['dev', 'prod', 'staging', 'acme-eu-1', 'a', 'x'.repeat(16)])('accepts %j', (stage) => {
    expect(stageNameProblem(stage)).toBeUndefined();
  });

  it.each([
    ['x'.repeat(17), /at most 16/],
    ['Prod', /lowercase/],
    ['my_stage', /no "_"/],
    ['-dev', /lowercase letters, digits and single hyphens/],
    ['dev-', /single hyphens/],
    ['a--b', /single hyphens/],
    ['myaws', /"aws"/],
    ['amazon1', /"amazon"/],
    ['cognito-test', /"cognito"/],
    ['', /required/],
  ])('refuses %j, saying why', (stage, why) => {
    expect(stageNameProblem(stage)).toMatch(why);
  });
});

describe('web origins', () => {
  it.each(['https://app.example.com', 'https://app.example.com:8443', 'https://app.tenantgate.invalid'])('accepts %j', (origin) => {
    expect(webOriginProblem(origin)).toBeUndefined();
  });

  it.each([
    'http://app.example.com',
    'https://app.example.com/',
    'https://app.example.com/app',
    'https://App.example.com',
    'app.example.com',
    '',
  ])('refuses %j', (origin) => {
    expect(webOriginProblem(origin)).toMatch(/https:\/\/host\[:port\]/);
  });

  it('refuses a deploy that would drop the origin a stage was deployed with, and only that', () => {
    const deployed = stack({ UserPoolId: 'p', WebOrigin: 'https://app.acme.test' });
    expect(droppedWebOrigin(deployed, 'https://app.tenantgate.invalid')).toBe('https://app.acme.test');
    expect(droppedWebOrigin(deployed, 'https://new.acme.test')).toBeUndefined();
    expect(droppedWebOrigin(stack({ WebOrigin: 'https://app.tenantgate.invalid' }), 'https://app.tenantgate.invalid')).toBeUndefined();
    expect(droppedWebOrigin(undefined, 'https://app.tenantgate.invalid')).toBeUndefined();
  });
});

describe('a first deploy', () => {
  it('is one until the stack has completed with its outputs, whatever its status', () => {
    expect(hasCompletedOnce(undefined)).toBe(false);
    expect(
      hasCompletedOnce({
        StackStatus: 'UPDATE_ROLLBACK_COMPLETE',
        Outputs: [{ OutputKey: 'ServerlessDeploymentBucketName', OutputValue: 'b' }],
      }),
    ).toBe(false);
    expect(hasCompletedOnce(stack({ UserPoolId: 'eu-west-1_x' }))).toBe(true);
  });

  it('deploys the pool and table without protection and without retention, so a rollback deletes them', () => {
    const t = firstDeployTemplate(template());

    expect(t.Resources.UserPool).toMatchObject({
      DeletionPolicy: 'Delete',
      UpdateReplacePolicy: 'Delete',
      Properties: { DeletionProtection: 'INACTIVE' },
    });
    expect(t.Resources.MainTable).toMatchObject({
      DeletionPolicy: 'Delete',
      UpdateReplacePolicy: 'Delete',
      Properties: { DeletionProtectionEnabled: false },
    });
  });
});

describe('a deployed stage', () => {
  it("keeps its hosted-login prefix, read from the stack's outputs", () => {
    const deployed = stack({ UserPoolId: 'p', HostedLoginUrl: 'https://tenantgate-prod-login.auth.eu-west-1.amazoncognito.com' });

    const prefix = deployedLoginPrefix(deployed);
    const t = keepLoginPrefix(template(), prefix);

    expect(prefix).toBe('tenantgate-prod-login');
    expect(t.Resources.UserPoolDomain?.Properties.Domain).toBe('tenantgate-prod-login');
    expect(deployedLoginPrefix(stack({ UserPoolId: 'p' }))).toBeUndefined();
  });
});

describe("Serverless's default execution role", () => {
  it('is removed when no function uses it', () => {
    expect(withoutUnusedDefaultRole(template()).Resources.IamRoleLambdaExecution).toBeUndefined();
  });

  it('stays when something refers to it', () => {
    const t = template();
    (t.Resources.GetMeLambdaFunction as { Properties: Record<string, unknown> }).Properties.Role = {
      'Fn::GetAtt': ['IamRoleLambdaExecution', 'Arn'],
    };

    expect(withoutUnusedDefaultRole(t).Resources.IamRoleLambdaExecution).toBeDefined();
  });
});
