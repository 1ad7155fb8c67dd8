import { describe, expect, it } from 'vitest';
import { asList, type CfnTemplate, isRecord, propertiesOf } from './cfn-template';
import { violationsIntroducedBy } from './template-mutations';
import { checkSecurityRules } from './template-rules';

const securityRules = (template: CfnTemplate) => checkSecurityRules(template, { production: false });

function uploadsPolicyDocument(template: CfnTemplate): Record<string, unknown> {
  const document = propertiesOf(template, 'UploadsBucketPolicy').PolicyDocument;
  if (!isRecord(document)) throw new Error('the uploads bucket has no policy document');
  return document;
}

describe('storage rules', () => {
  it('reports a bucket with one public access block flag off', () => {
    // Prepare
    const allowPublicBuckets = (template: CfnTemplate) => {
      const block = propertiesOf(template, 'UploadsBucket').PublicAccessBlockConfiguration;
      if (isRecord(block)) delete block.RestrictPublicBuckets;
    };

    // Act
    const violations = violationsIntroducedBy('dev', allowPublicBuckets, securityRules);

    // Assess
    expect(violations).toEqual([
      expect.objectContaining({
        rule: 's3.public-access-block',
        resource: 'UploadsBucket',
        message: 'not true: RestrictPublicBuckets',
      }),
    ]);
  });

  it('reports a bucket without default encryption', () => {
    // Prepare
    const removeEncryption = (template: CfnTemplate) => {
      delete propertiesOf(template, 'UploadsBucket').BucketEncryption;
    };

    // Act
    const violations = violationsIntroducedBy('dev', removeEncryption, securityRules);

    // Assess
    expect(violations).toEqual([expect.objectContaining({ rule: 's3.encryption', resource: 'UploadsBucket' })]);
  });

  it('reports a bucket whose policy no longer refuses plain HTTP', () => {
    // Prepare
    const removeTlsOnly = (template: CfnTemplate) => {
      const document = uploadsPolicyDocument(template);
      document.Statement = asList(document.Statement).filter(
        (statement) => !isRecord(statement) || statement.Sid !== 'DenyInsecureTransport',
      );
    };

    // Act
    const violations = violationsIntroducedBy('dev', removeTlsOnly, securityRules);

    // Assess
    expect(violations).toEqual([expect.objectContaining({ rule: 's3.tls-only', resource: 'UploadsBucket' })]);
  });

  it('reports a TLS-only statement that covers the objects but not the bucket itself', () => {
    // Prepare
    const objectsOnly = (template: CfnTemplate) => {
      for (const statement of asList(uploadsPolicyDocument(template).Statement)) {
        if (isRecord(statement)) statement.Resource = asList(statement.Resource).slice(1);
      }
    };

    // Act
    const violations = violationsIntroducedBy('dev', objectsOnly, securityRules);

    // Assess
    expect(violations).toEqual([expect.objectContaining({ rule: 's3.tls-only', resource: 'UploadsBucket' })]);
  });

  it('reports a table without point-in-time recovery', () => {
    // Prepare
    const disablePitr = (template: CfnTemplate) => {
      propertiesOf(template, 'MainTable').PointInTimeRecoverySpecification = { PointInTimeRecoveryEnabled: false };
    };

    // Act
    const violations = violationsIntroducedBy('dev', disablePitr, securityRules);

    // Assess
    expect(violations).toEqual([expect.objectContaining({ rule: 'dynamodb.point-in-time-recovery', resource: 'MainTable' })]);
  });

  it('reports a table without server-side encryption', () => {
    // Prepare
    const disableSse = (template: CfnTemplate) => {
      delete propertiesOf(template, 'MainTable').SSESpecification;
    };

    // Act
    const violations = violationsIntroducedBy('dev', disableSse, securityRules);

    // Assess
    expect(violations).toEqual([expect.objectContaining({ rule: 'dynamodb.encryption', resource: 'MainTable' })]);
  });
});
