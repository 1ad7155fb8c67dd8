import { describe, expect, it } from 'vitest';
import { asList, type CfnTemplate, isRecord, propertiesOf } from './cfn-template';
import { violationsIntroducedBy } from './template-mutations';
import { checkSecurityRules } from './template-rules';

const securityRules = (template: CfnTemplate) => checkSecurityRules(template, { production: false });

/** One function's own role (serverless-iam-roles-per-function: one inline policy). */
const ROLE = 'RemoveMemberIamRoleLambdaExecution';

function roleStatements(template: CfnTemplate): Record<string, unknown>[] {
  const [policy] = asList(propertiesOf(template, ROLE).Policies);
  if (!isRecord(policy) || !isRecord(policy.PolicyDocument)) throw new Error('the role has no inline policy');
  return asList(policy.PolicyDocument.Statement).filter(isRecord);
}

function tableStatement(template: CfnTemplate): Record<string, unknown> {
  const statement = roleStatements(template).find((candidate) => asList(candidate.Action).includes('dynamodb:GetItem'));
  if (!statement) throw new Error('the role has no DynamoDB statement');
  return statement;
}

describe('IAM rules', () => {
  it('reports an Allow statement whose Action is "*"', () => {
    // Prepare
    const allowEverything = (template: CfnTemplate) => {
      tableStatement(template).Action = '*';
    };

    // Act
    const violations = violationsIntroducedBy('dev', allowEverything, securityRules);

    // Assess
    expect(violations).toContainEqual(expect.objectContaining({ rule: 'iam.no-wildcard-action', resource: ROLE, message: 'allows *' }));
  });

  it('reports a whole-service action such as dynamodb:*', () => {
    // Prepare
    const allowAllOfDynamoDb = (template: CfnTemplate) => {
      const statement = tableStatement(template);
      statement.Action = [...asList(statement.Action), 'dynamodb:*'];
    };

    // Act
    const violations = violationsIntroducedBy('dev', allowAllOfDynamoDb, securityRules);

    // Assess
    expect(violations).toEqual([
      expect.objectContaining({
        rule: 'iam.no-wildcard-action',
        resource: ROLE,
        path: expect.stringMatching(/^Properties\.Policies\[0\]\.PolicyDocument\.Statement\[\d+\]$/),
        message: 'allows dynamodb:*',
      }),
    ]);
  });

  it('reports an Allow statement with NotAction', () => {
    // Prepare
    const allowAllButOne = (template: CfnTemplate) => {
      const statement = tableStatement(template);
      delete statement.Action;
      statement.NotAction = 'dynamodb:DeleteTable';
    };

    // Act
    const violations = violationsIntroducedBy('dev', allowAllButOne, securityRules);

    // Assess
    expect(violations).toEqual([expect.objectContaining({ rule: 'iam.no-wildcard-action', resource: ROLE })]);
  });

  it('reports an Allow statement on Resource "*"', () => {
    // Prepare
    const everyTable = (template: CfnTemplate) => {
      tableStatement(template).Resource = '*';
    };

    // Act
    const violations = violationsIntroducedBy('dev', everyTable, securityRules);

    // Assess
    expect(violations).toEqual([expect.objectContaining({ rule: 'iam.no-wildcard-resource', resource: ROLE })]);
  });

  it('accepts Resource "*" for the X-Ray actions AWS cannot scope to a resource', () => {
    // Prepare: what Serverless adds for `tracing.lambda: true`.
    const enableTracing = (template: CfnTemplate) => {
      roleStatements(template).push({
        Effect: 'Allow',
        Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
        Resource: ['*'],
      });
    };

    // Act
    const violations = violationsIntroducedBy('dev', enableTracing, securityRules);

    // Assess
    expect(violations).toEqual([]);
  });

  it('reports s3:* allowed by a bucket policy', () => {
    // Prepare
    const grantBucketToAnotherAccount = (template: CfnTemplate) => {
      const document = propertiesOf(template, 'UploadsBucketPolicy').PolicyDocument;
      if (!isRecord(document) || !Array.isArray(document.Statement)) throw new Error('no bucket policy statements');
      document.Statement.push({
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::111122223333:root' },
        Action: 's3:*',
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['UploadsBucket', 'Arn'] }, '/*']] },
      });
    };

    // Act
    const violations = violationsIntroducedBy('dev', grantBucketToAnotherAccount, securityRules);

    // Assess
    expect(violations).toEqual([
      expect.objectContaining({ rule: 'iam.no-wildcard-action', resource: 'UploadsBucketPolicy', message: 'allows s3:*' }),
    ]);
  });

  it('reports an AWS managed policy that grants whole services', () => {
    // Prepare
    const attachFullAccess = (template: CfnTemplate) => {
      propertiesOf(template, ROLE).ManagedPolicyArns = [
        { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/AmazonDynamoDBFullAccess']] },
      ];
    };

    // Act
    const violations = violationsIntroducedBy('dev', attachFullAccess, securityRules);

    // Assess
    expect(violations).toEqual([expect.objectContaining({ rule: 'iam.no-broad-managed-policy', resource: ROLE })]);
  });
});
