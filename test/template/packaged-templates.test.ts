import { describe, expect, it } from 'vitest';
import { resourcesOfType } from './cfn-template';
import { PACKAGED_STAGES, readPackagedTemplate } from './packaged-templates';
import { checkProductionRules } from './rules/production-rules';
import { checkTemplate } from './template-rules';

describe('the packaged CloudFormation templates', () => {
  it.each(PACKAGED_STAGES)('the %s template meets the resource schemas and every security rule', (stage) => {
    // Prepare
    const template = readPackagedTemplate(stage);

    // Act
    const violations = checkTemplate(template, { production: stage === 'prod' });

    // Assess
    expect(violations).toEqual([]);
  });

  it.each(PACKAGED_STAGES)('the %s template gives PreTokenGeneration the V2_0 event', (stage) => {
    // Prepare
    const template = readPackagedTemplate(stage);

    // Act
    const pools = resourcesOfType(template, 'AWS::Cognito::UserPool');

    // Assess
    expect(pools).toHaveLength(1);
    expect(pools[0]?.[1].LambdaConfig).toMatchObject({
      PreTokenGenerationConfig: {
        LambdaVersion: 'V2_0',
        LambdaArn: { 'Fn::GetAtt': ['PreTokenGenerationLambdaFunction', 'Arn'] },
      },
    });
  });

  it.each(PACKAGED_STAGES)('the %s template holds the resources the rules guard', (stage) => {
    // Prepare
    const template = readPackagedTemplate(stage);

    // Act
    const count = (type: string) => resourcesOfType(template, type).length;

    // Assess: the rules pass vacuously on a template that lost these.
    expect(count('AWS::Cognito::UserPoolClient')).toBe(1);
    expect(count('AWS::DynamoDB::Table')).toBe(1);
    expect(count('AWS::S3::Bucket')).toBeGreaterThanOrEqual(2);
    expect(count('AWS::Lambda::Function')).toBeGreaterThanOrEqual(5);
    expect(count('AWS::IAM::Role')).toBeGreaterThanOrEqual(1);
  });

  it('the dev template lacks exactly what only production must have', () => {
    // Prepare
    const template = readPackagedTemplate('dev');

    // Act
    const rules = new Set(checkProductionRules(template).map((violation) => violation.rule));

    // Assess: proves the prod params, not the shared resources, satisfy these rules.
    expect(rules).toEqual(new Set(['prod.user-pool-deletion-protection', 'prod.mfa-required', 'prod.table-deletion-protection']));
  });
});
