import { describe, expect, it } from 'vitest';
import { type CfnTemplate, isRecord, propertiesOf } from './cfn-template';
import { violationsIntroducedBy } from './template-mutations';
import { checkSecurityRules } from './template-rules';

const securityRules = (template: CfnTemplate) => checkSecurityRules(template, { production: false });

function preTokenGenerationConfig(template: CfnTemplate): Record<string, unknown> {
  const lambdaConfig = propertiesOf(template, 'UserPool').LambdaConfig;
  if (!isRecord(lambdaConfig) || !isRecord(lambdaConfig.PreTokenGenerationConfig)) {
    throw new Error('the pool has no PreTokenGenerationConfig');
  }
  return lambdaConfig.PreTokenGenerationConfig;
}

describe('Cognito rules', () => {
  it('reports PreTokenGeneration on the V1_0 event', () => {
    // Prepare
    const downgrade = (template: CfnTemplate) => {
      preTokenGenerationConfig(template).LambdaVersion = 'V1_0';
    };

    // Act
    const violations = violationsIntroducedBy('dev', downgrade, securityRules);

    // Assess
    expect(violations).toEqual([
      expect.objectContaining({
        rule: 'cognito.pre-token-generation-v2',
        resource: 'UserPool',
        message: 'LambdaVersion is V1_0, not V2_0',
      }),
    ]);
  });

  it('reports a PreTokenGeneration config without a function', () => {
    // Prepare
    const dropFunction = (template: CfnTemplate) => {
      delete preTokenGenerationConfig(template).LambdaArn;
    };

    // Act
    const violations = violationsIntroducedBy('dev', dropFunction, securityRules);

    // Assess
    expect(violations).toEqual([
      expect.objectContaining({ rule: 'cognito.pre-token-generation-v2', resource: 'UserPool', message: 'no LambdaArn' }),
    ]);
  });

  it('reports a password policy shorter than 12 characters', () => {
    // Prepare
    const shortPasswords = (template: CfnTemplate) => {
      propertiesOf(template, 'UserPool').Policies = { PasswordPolicy: { MinimumLength: 8 } };
    };

    // Act
    const violations = violationsIntroducedBy('dev', shortPasswords, securityRules);

    // Assess
    expect(violations).toEqual([expect.objectContaining({ rule: 'cognito.password-length', resource: 'UserPool' })]);
  });

  it('reports a trigger Cognito has no permission to invoke', () => {
    // Prepare
    const dropPermission = (template: CfnTemplate) => {
      delete template.Resources.PostAuthenticationCognitoPermission;
    };

    // Act
    const violations = violationsIntroducedBy('dev', dropPermission, securityRules);

    // Assess
    expect(violations).toEqual([
      expect.objectContaining({
        rule: 'cognito.trigger-permission',
        resource: 'UserPool',
        path: 'Properties.LambdaConfig.PostAuthentication',
      }),
    ]);
  });

  it('reports a trigger permission that any pool could use (no SourceArn)', () => {
    // Prepare
    const unboundPermission = (template: CfnTemplate) => {
      delete propertiesOf(template, 'PreTokenGenerationCognitoPermission').SourceArn;
    };

    // Act
    const violations = violationsIntroducedBy('dev', unboundPermission, securityRules);

    // Assess
    expect(violations).toEqual([
      expect.objectContaining({
        rule: 'cognito.trigger-permission',
        resource: 'UserPool',
        path: 'Properties.LambdaConfig.PreTokenGenerationConfig',
      }),
    ]);
  });

  it('reports an app client with a secret', () => {
    // Prepare
    const addSecret = (template: CfnTemplate) => {
      propertiesOf(template, 'UserPoolClient').GenerateSecret = true;
    };

    // Act
    const violations = violationsIntroducedBy('dev', addSecret, securityRules);

    // Assess
    expect(violations).toEqual([expect.objectContaining({ rule: 'cognito.client-no-secret', resource: 'UserPoolClient' })]);
  });

  it('reports an app client without token revocation', () => {
    // Prepare
    const disableRevocation = (template: CfnTemplate) => {
      propertiesOf(template, 'UserPoolClient').EnableTokenRevocation = false;
    };

    // Act
    const violations = violationsIntroducedBy('dev', disableRevocation, securityRules);

    // Assess
    expect(violations).toEqual([expect.objectContaining({ rule: 'cognito.client-token-revocation', resource: 'UserPoolClient' })]);
  });

  it('reports an access token that lives longer than 60 minutes', () => {
    // Prepare
    const dayLongTokens = (template: CfnTemplate) => {
      propertiesOf(template, 'UserPoolClient').AccessTokenValidity = 1440;
    };

    // Act
    const violations = violationsIntroducedBy('dev', dayLongTokens, securityRules);

    // Assess
    expect(violations).toEqual([
      expect.objectContaining({
        rule: 'cognito.client-token-validity',
        resource: 'UserPoolClient',
        path: 'Properties.AccessTokenValidity',
      }),
    ]);
  });

  it('reports an app client whose errors reveal whether a user exists', () => {
    // Prepare
    const legacyErrors = (template: CfnTemplate) => {
      propertiesOf(template, 'UserPoolClient').PreventUserExistenceErrors = 'LEGACY';
    };

    // Act
    const violations = violationsIntroducedBy('dev', legacyErrors, securityRules);

    // Assess
    expect(violations).toEqual([expect.objectContaining({ rule: 'cognito.client-user-existence-errors', resource: 'UserPoolClient' })]);
  });

  it('reports an app client that may write a custom: attribute', () => {
    // Prepare
    const writableTenant = (template: CfnTemplate) => {
      propertiesOf(template, 'UserPoolClient').WriteAttributes = ['email', 'custom:tenant_id'];
    };

    // Act
    const violations = violationsIntroducedBy('dev', writableTenant, securityRules);

    // Assess
    expect(violations).toEqual([
      expect.objectContaining({
        rule: 'cognito.client-write-attributes',
        resource: 'UserPoolClient',
        message: 'the client may write custom:tenant_id',
      }),
    ]);
  });

  it('reports an app client without a WriteAttributes list (it may then write every attribute)', () => {
    // Prepare
    const dropWriteAttributes = (template: CfnTemplate) => {
      delete propertiesOf(template, 'UserPoolClient').WriteAttributes;
    };

    // Act
    const violations = violationsIntroducedBy('dev', dropWriteAttributes, securityRules);

    // Assess
    expect(violations).toEqual([expect.objectContaining({ rule: 'cognito.client-write-attributes', resource: 'UserPoolClient' })]);
  });
});
