import { describe, expect, it } from 'vitest';
import { type CfnTemplate, propertiesOf } from './cfn-template';
import { checkResourceSchemas } from './resource-schema';
import { violationsIntroducedBy } from './template-mutations';

describe('checking resources against the AWS resource schemas', () => {
  it('reports a property the resource type does not have', () => {
    // Prepare
    const addUnknownProperty = (template: CfnTemplate) => {
      propertiesOf(template, 'UploadsBucket').Encrypted = true;
    };

    // Act
    const violations = violationsIntroducedBy('dev', addUnknownProperty, checkResourceSchemas);

    // Assess
    expect(violations).toEqual([
      expect.objectContaining({ rule: 'schema.unknown-property', resource: 'UploadsBucket', path: 'Properties.Encrypted' }),
    ]);
  });

  it('reports an unknown property inside a nested property type', () => {
    // Prepare
    const misspellNested = (template: CfnTemplate) => {
      const bucket = propertiesOf(template, 'UploadsBucket');
      bucket.LifecycleConfiguration = { Rules: [{ Id: 'x', Status: 'Enabled', ExpirationInDay: 1 }] };
    };

    // Act
    const violations = violationsIntroducedBy('dev', misspellNested, checkResourceSchemas);

    // Assess
    expect(violations).toEqual([
      expect.objectContaining({
        rule: 'schema.unknown-property',
        resource: 'UploadsBucket',
        path: 'Properties.LifecycleConfiguration.Rules[0].ExpirationInDay',
      }),
    ]);
  });

  it('reports a resource type CloudFormation does not know', () => {
    // Prepare
    const misspellType = (template: CfnTemplate) => {
      const table = template.Resources.MainTable;
      if (table) table.Type = 'AWS::DynamoDB::Tables';
    };

    // Act
    const violations = violationsIntroducedBy('dev', misspellType, checkResourceSchemas);

    // Assess
    expect(violations).toEqual([expect.objectContaining({ rule: 'schema.unknown-type', resource: 'MainTable', path: 'Type' })]);
  });

  it('reports a missing required property', () => {
    // Prepare
    const dropKeySchema = (template: CfnTemplate) => {
      delete propertiesOf(template, 'MainTable').KeySchema;
    };

    // Act
    const violations = violationsIntroducedBy('dev', dropKeySchema, checkResourceSchemas);

    // Assess
    expect(violations).toEqual([
      expect.objectContaining({ rule: 'schema.missing-required', resource: 'MainTable', path: 'Properties.KeySchema' }),
    ]);
  });

  it('reports a missing required property of a nested property type', () => {
    // Prepare
    const dropAttributeType = (template: CfnTemplate) => {
      propertiesOf(template, 'MainTable').AttributeDefinitions = [{ AttributeName: 'pk' }, { AttributeName: 'sk', AttributeType: 'S' }];
    };

    // Act
    const violations = violationsIntroducedBy('dev', dropAttributeType, checkResourceSchemas);

    // Assess
    expect(violations).toEqual([
      expect.objectContaining({
        rule: 'schema.missing-required',
        resource: 'MainTable',
        path: 'Properties.AttributeDefinitions[0].AttributeType',
      }),
    ]);
  });

  it('reports values of the wrong kind: text for a number, a scalar for a list, a list for a boolean', () => {
    // Prepare
    const wrongKinds = (template: CfnTemplate) => {
      const fn = propertiesOf(template, 'HealthLambdaFunction');
      fn.MemorySize = 'large';
      fn.Architectures = 'arm64';
      propertiesOf(template, 'MainTable').PointInTimeRecoverySpecification = { PointInTimeRecoveryEnabled: [true] };
    };

    // Act
    const violations = violationsIntroducedBy('dev', wrongKinds, checkResourceSchemas);

    // Assess
    expect(violations.map(({ rule, resource, path }) => ({ rule, resource, path }))).toEqual([
      { rule: 'schema.type-mismatch', resource: 'HealthLambdaFunction', path: 'Properties.MemorySize' },
      { rule: 'schema.type-mismatch', resource: 'HealthLambdaFunction', path: 'Properties.Architectures' },
      {
        rule: 'schema.type-mismatch',
        resource: 'MainTable',
        path: 'Properties.PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled',
      },
    ]);
  });

  it('reports a value outside the allowed set', () => {
    // Prepare
    const unknownTier = (template: CfnTemplate) => {
      propertiesOf(template, 'UserPool').UserPoolTier = 'GOLD';
    };

    // Act
    const violations = violationsIntroducedBy('dev', unknownTier, checkResourceSchemas);

    // Assess
    expect(violations).toEqual([
      expect.objectContaining({ rule: 'schema.disallowed-value', resource: 'UserPool', path: 'Properties.UserPoolTier' }),
    ]);
  });

  it('reports a misspelled resource attribute', () => {
    // Prepare
    const misspellAttribute = (template: CfnTemplate) => {
      const table = template.Resources.MainTable;
      if (table) table.DeletionPolicies = 'Retain';
    };

    // Act
    const violations = violationsIntroducedBy('dev', misspellAttribute, checkResourceSchemas);

    // Assess
    expect(violations).toEqual([
      expect.objectContaining({ rule: 'schema.unknown-resource-attribute', resource: 'MainTable', path: 'DeletionPolicies' }),
    ]);
  });

  it('accepts intrinsic functions wherever a value goes', () => {
    // Prepare
    const useIntrinsics = (template: CfnTemplate) => {
      const fn = propertiesOf(template, 'HealthLambdaFunction');
      fn.MemorySize = { Ref: 'MemorySizeParameter' };
      fn.Architectures = { 'Fn::If': ['IsArm', ['arm64'], ['x86_64']] };
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Fn::Sub string, not a JS template.
      fn.Environment = { Variables: { REGION_NAME: { 'Fn::Sub': '${AWS::Region}' } } };
      fn.Tags = [{ Key: 'stage', Value: { 'Fn::Join': ['-', ['tenantgate', { Ref: 'AWS::Region' }]] } }];
      propertiesOf(template, 'MainTable').PointInTimeRecoverySpecification = {
        'Fn::If': ['IsProd', { PointInTimeRecoveryEnabled: true }, { Ref: 'AWS::NoValue' }],
      };
    };

    // Act
    const violations = violationsIntroducedBy('dev', useIntrinsics, checkResourceSchemas);

    // Assess
    expect(violations).toEqual([]);
  });

  it('accepts numbers and booleans written as strings, as CloudFormation does', () => {
    // Prepare
    const quoteScalars = (template: CfnTemplate) => {
      propertiesOf(template, 'HealthLambdaFunction').MemorySize = '512';
      propertiesOf(template, 'MainTable').PointInTimeRecoverySpecification = { PointInTimeRecoveryEnabled: 'true' };
    };

    // Act
    const violations = violationsIntroducedBy('dev', quoteScalars, checkResourceSchemas);

    // Assess
    expect(violations).toEqual([]);
  });
});
