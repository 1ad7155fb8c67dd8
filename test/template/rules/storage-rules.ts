import {
  asList,
  type CfnTemplate,
  isRecord,
  isTrue,
  referencedLogicalId,
  renderString,
  resourcesOfType,
  type Violation,
} from '../cfn-template';

/**
 * Data at rest: every bucket (the Serverless deployment bucket too) blocks
 * public access, is encrypted and refuses plain HTTP; every table is
 * encrypted with a KMS key and can be restored to any point in time.
 */

const PUBLIC_ACCESS_BLOCK_FLAGS = ['BlockPublicAcls', 'BlockPublicPolicy', 'IgnorePublicAcls', 'RestrictPublicBuckets'];
const SSE_ALGORITHMS = new Set(['AES256', 'aws:kms', 'aws:kms:dsse']);

export function checkStorageRules(template: CfnTemplate): Violation[] {
  return [...checkBuckets(template), ...checkTables(template)];
}

function checkBuckets(template: CfnTemplate): Violation[] {
  const violations: Violation[] = [];
  for (const [bucketId, bucket] of resourcesOfType(template, 'AWS::S3::Bucket')) {
    const report = (rule: string, path: string, message: string) => violations.push({ rule, resource: bucketId, path, message });

    const block = isRecord(bucket.PublicAccessBlockConfiguration) ? bucket.PublicAccessBlockConfiguration : {};
    const open = PUBLIC_ACCESS_BLOCK_FLAGS.filter((flag) => !isTrue(block[flag]));
    if (open.length > 0) {
      report('s3.public-access-block', 'Properties.PublicAccessBlockConfiguration', `not true: ${open.join(', ')}`);
    }

    const encryption = isRecord(bucket.BucketEncryption) ? bucket.BucketEncryption.ServerSideEncryptionConfiguration : undefined;
    const rules = asList(encryption);
    const encrypted = rules.length > 0 && rules.every((rule) => SSE_ALGORITHMS.has(String(defaultAlgorithm(rule))));
    if (!encrypted) report('s3.encryption', 'Properties.BucketEncryption', 'no default server-side encryption');

    const policies = resourcesOfType(template, 'AWS::S3::BucketPolicy').filter(
      ([, policy]) => referencedLogicalId(policy.Bucket) === bucketId,
    );
    const statements = policies.flatMap(([, policy]) => (isRecord(policy.PolicyDocument) ? asList(policy.PolicyDocument.Statement) : []));
    if (!statements.some((statement) => deniesInsecureTransport(statement, bucketId))) {
      report(
        's3.tls-only',
        'AWS::S3::BucketPolicy',
        'no bucket policy denies s3:* on the bucket and its objects when aws:SecureTransport is false',
      );
    }
  }
  return violations;
}

function defaultAlgorithm(rule: unknown): unknown {
  if (!isRecord(rule) || !isRecord(rule.ServerSideEncryptionByDefault)) return undefined;
  return rule.ServerSideEncryptionByDefault.SSEAlgorithm;
}

function deniesInsecureTransport(statement: unknown, bucketId: string): boolean {
  if (!isRecord(statement) || statement.Effect !== 'Deny' || !isAnyPrincipal(statement.Principal)) return false;
  const actions = asList(statement.Action).map((action) => String(action).toLowerCase());
  if (!actions.some((action) => action === 's3:*' || action === '*')) return false;
  const bool = isRecord(statement.Condition) && isRecord(statement.Condition.Bool) ? statement.Condition.Bool : {};
  const secureTransport = bool['aws:SecureTransport'];
  if (secureTransport !== false && secureTransport !== 'false') return false;
  const resources = asList(statement.Resource).map(renderString);
  const bucketArns = [`\${${bucketId}.Arn}`, `arn:\${AWS::Partition}:s3:::\${${bucketId}}`, `arn:aws:s3:::\${${bucketId}}`];
  return bucketArns.some((arn) => resources.includes(arn)) && bucketArns.some((arn) => resources.includes(`${arn}/*`));
}

function isAnyPrincipal(principal: unknown): boolean {
  return principal === '*' || (isRecord(principal) && asList(principal.AWS).includes('*'));
}

function checkTables(template: CfnTemplate): Violation[] {
  const violations: Violation[] = [];
  for (const [tableId, table] of resourcesOfType(template, 'AWS::DynamoDB::Table')) {
    const pitr = isRecord(table.PointInTimeRecoverySpecification) ? table.PointInTimeRecoverySpecification : {};
    if (!isTrue(pitr.PointInTimeRecoveryEnabled)) {
      violations.push({
        rule: 'dynamodb.point-in-time-recovery',
        resource: tableId,
        path: 'Properties.PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled',
        message: 'point-in-time recovery is not enabled',
      });
    }
    const sse = isRecord(table.SSESpecification) ? table.SSESpecification : {};
    if (!isTrue(sse.SSEEnabled)) {
      violations.push({
        rule: 'dynamodb.encryption',
        resource: tableId,
        path: 'Properties.SSESpecification.SSEEnabled',
        message: 'server-side encryption with a KMS key is not enabled',
      });
    }
  }
  return violations;
}
