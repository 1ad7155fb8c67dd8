import { describe, expect, it } from 'vitest';
import { type CfnTemplate, isRecord, propertiesOf } from './cfn-template';
import { violationsIntroducedBy } from './template-mutations';
import { checkSecurityRules } from './template-rules';

const securityRules = (template: CfnTemplate) => checkSecurityRules(template, { production: false });

function environmentOf(template: CfnTemplate, functionId: string): Record<string, unknown> {
  const fn = propertiesOf(template, functionId);
  if (!isRecord(fn.Environment) || !isRecord(fn.Environment.Variables)) throw new Error(`${functionId} has no environment`);
  return fn.Environment.Variables;
}

describe('Lambda rules', () => {
  it('reports a function on nodejs20.x', () => {
    // Prepare
    const oldRuntime = (template: CfnTemplate) => {
      propertiesOf(template, 'PreTokenGenerationLambdaFunction').Runtime = 'nodejs20.x';
    };

    // Act
    const violations = violationsIntroducedBy('dev', oldRuntime, securityRules);

    // Assess
    expect(violations).toEqual([expect.objectContaining({ rule: 'lambda.runtime', resource: 'PreTokenGenerationLambdaFunction' })]);
  });

  it('reports functions that share one role', () => {
    // Prepare
    const shareRole = (template: CfnTemplate) => {
      propertiesOf(template, 'GetTenantLambdaFunction').Role = propertiesOf(template, 'RemoveMemberLambdaFunction').Role;
    };

    // Act
    const violations = violationsIntroducedBy('dev', shareRole, securityRules);

    // Assess
    expect(violations).toHaveLength(2);
    expect(violations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ rule: 'lambda.own-role', resource: 'RemoveMemberLambdaFunction' }),
        expect.objectContaining({ rule: 'lambda.own-role', resource: 'GetTenantLambdaFunction' }),
      ]),
    );
  });

  it('reports a function whose log group keeps events forever', () => {
    // Prepare
    const keepForever = (template: CfnTemplate) => {
      delete propertiesOf(template, 'GetMeLogGroup').RetentionInDays;
    };

    // Act
    const violations = violationsIntroducedBy('dev', keepForever, securityRules);

    // Assess
    expect(violations).toEqual([expect.objectContaining({ rule: 'lambda.log-retention', resource: 'GetMeLambdaFunction' })]);
  });

  it('reports a function with no log group of its own', () => {
    // Prepare
    const dropLogGroup = (template: CfnTemplate) => {
      delete template.Resources.HealthLogGroup;
    };

    // Act
    const violations = violationsIntroducedBy('dev', dropLogGroup, securityRules);

    // Assess
    expect(violations).toEqual([expect.objectContaining({ rule: 'lambda.log-retention', resource: 'HealthLambdaFunction' })]);
  });

  it('reports the local token issuer in a function environment', () => {
    // Prepare
    const localIssuer = (template: CfnTemplate) => {
      environmentOf(template, 'PreTokenGenerationLambdaFunction').LOCAL_TOKEN_ISSUER = 'http://localhost:9229/x';
    };

    // Act
    const violations = violationsIntroducedBy('dev', localIssuer, securityRules);

    // Assess
    expect(violations).toEqual([
      expect.objectContaining({
        rule: 'lambda.no-local-endpoints',
        resource: 'PreTokenGenerationLambdaFunction',
        path: 'Properties.Environment.Variables.LOCAL_TOKEN_ISSUER',
      }),
    ]);
  });

  it('reports a loopback address built with Fn::Join', () => {
    // Prepare
    const localDynamoDb = (template: CfnTemplate) => {
      environmentOf(template, 'PostConfirmationLambdaFunction').DYNAMODB_ENDPOINT = {
        'Fn::Join': ['', ['http://127.0.0.1:', '8000']],
      };
    };

    // Act
    const violations = violationsIntroducedBy('dev', localDynamoDb, securityRules);

    // Assess
    expect(violations).toEqual([
      expect.objectContaining({
        rule: 'lambda.no-local-endpoints',
        resource: 'PostConfirmationLambdaFunction',
        path: 'Properties.Environment.Variables.DYNAMODB_ENDPOINT',
      }),
    ]);
  });

  it("reports a Cognito trigger whose timeout outlasts Cognito's 5-second wait", () => {
    // Prepare
    const slowTrigger = (template: CfnTemplate) => {
      propertiesOf(template, 'PostAuthenticationLambdaFunction').Timeout = 6;
    };

    // Act
    const violations = violationsIntroducedBy('dev', slowTrigger, securityRules);

    // Assess
    expect(violations).toEqual([
      expect.objectContaining({ rule: 'lambda.trigger-timeout', resource: 'PostAuthenticationLambdaFunction', path: 'Properties.Timeout' }),
    ]);
  });

  it.each(['dev', 'prod'] as const)('reports a Cognito trigger with no reserved concurrency in the %s template', (stage) => {
    // Prepare
    const unreserved = (template: CfnTemplate) => {
      delete propertiesOf(template, 'PreTokenGenerationLambdaFunction').ReservedConcurrentExecutions;
    };

    // Act
    const violations = violationsIntroducedBy(stage, unreserved, securityRules);

    // Assess
    expect(violations).toEqual([
      expect.objectContaining({ rule: 'lambda.trigger-reserved-concurrency', resource: 'PreTokenGenerationLambdaFunction' }),
    ]);
  });

  it('reports a Cognito trigger reserved to 0, which would throttle every sign-in', () => {
    // Prepare
    const throttled = (template: CfnTemplate) => {
      propertiesOf(template, 'PreSignUpLambdaFunction').ReservedConcurrentExecutions = 0;
    };

    // Act
    const violations = violationsIntroducedBy('dev', throttled, securityRules);

    // Assess
    expect(violations).toEqual([
      expect.objectContaining({ rule: 'lambda.trigger-reserved-concurrency', resource: 'PreSignUpLambdaFunction' }),
    ]);
  });

  it("holds every function the user pool calls to Cognito's wait, and no other", () => {
    // Prepare
    const slowEverything = (template: CfnTemplate) => {
      for (const [functionId, resource] of Object.entries(template.Resources)) {
        if (resource.Type === 'AWS::Lambda::Function') propertiesOf(template, functionId).Timeout = 30;
      }
    };

    // Act
    const violations = violationsIntroducedBy('dev', slowEverything, securityRules);

    // Assess
    expect(new Set(violations.map((v) => `${v.rule} ${v.resource}`))).toEqual(
      new Set([
        'lambda.trigger-timeout PreSignUpLambdaFunction',
        'lambda.trigger-timeout PostConfirmationLambdaFunction',
        'lambda.trigger-timeout PostAuthenticationLambdaFunction',
        'lambda.trigger-timeout PreTokenGenerationLambdaFunction',
      ]),
    );
  });
});
