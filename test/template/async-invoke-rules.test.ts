import { describe, expect, it } from 'vitest';
import { INGEST_RETRIES } from '../../src/lib/files/ingest-attempts';
import { type CfnTemplate, propertiesOf, resourcesOfType } from './cfn-template';
import { PACKAGED_STAGES, readPackagedTemplate } from './packaged-templates';
import { policyStatements } from './rules/iam-rules';
import { violationsIntroducedBy } from './template-mutations';
import { checkSecurityRules } from './template-rules';

const securityRules = (template: CfnTemplate) => checkSecurityRules(template, { production: false });

/** The ingest's asynchronous invocation config (resources/ingest-failures.yml), named as osls would name it. */
const INGEST_INVOKE_CONFIG = 'IngestFileLambdaEvConf';

describe('asynchronous invocation rules', () => {
  it.each(PACKAGED_STAGES)('the %s template retries the ingest exactly as often as the ingest counts on', (stage) => {
    // Prepare
    const template = readPackagedTemplate(stage);

    // Act
    const config = propertiesOf(template, INGEST_INVOKE_CONFIG);

    // Assess: one retry more and the last attempt would not be the one that gives up (src/lib/files/ingest-attempts.ts)
    expect(config).toMatchObject({
      FunctionName: { Ref: 'IngestFileLambdaFunction' },
      MaximumRetryAttempts: INGEST_RETRIES,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': ['IngestFailureQueue', 'Arn'] } } },
    });
    expect(resourcesOfType(template, 'AWS::CloudWatch::Alarm').map(([alarmId]) => alarmId)).toContain('IngestFailureAlarm');
  });

  it('reports a function that S3 invokes with no on-failure destination', () => {
    // Prepare
    const noDestination = (template: CfnTemplate) => {
      delete propertiesOf(template, INGEST_INVOKE_CONFIG).DestinationConfig;
    };

    // Act
    const violations = violationsIntroducedBy('dev', noDestination, securityRules);

    // Assess
    expect(violations).toEqual([expect.objectContaining({ rule: 'lambda.async-on-failure', resource: 'IngestFileLambdaFunction' })]);
  });

  it('reports a function that an EventBridge rule invokes with no on-failure destination', () => {
    // Prepare
    const noDestination = (template: CfnTemplate) => {
      delete template.Resources.CognitoGlobalSignOutLambdaEvConf;
    };

    // Act
    const violations = violationsIntroducedBy('dev', noDestination, securityRules);

    // Assess
    expect(violations).toEqual([
      expect.objectContaining({
        rule: 'lambda.async-on-failure',
        resource: 'CognitoGlobalSignOutLambdaFunction',
        message: expect.stringMatching(/^EventBridge \(\w+EventBridgeRule\) invokes it asynchronously/),
      }),
    ]);
  });

  it('reports an unencrypted queue', () => {
    // Prepare
    const plainText = (template: CfnTemplate) => {
      propertiesOf(template, 'IngestFailureQueue').SqsManagedSseEnabled = false;
    };

    // Act
    const violations = violationsIntroducedBy('dev', plainText, securityRules);

    // Assess
    expect(violations).toEqual([expect.objectContaining({ rule: 'sqs.encryption', resource: 'IngestFailureQueue' })]);
  });

  it('reports an on-failure queue that no alarm watches', () => {
    // Prepare
    const noAlarm = (template: CfnTemplate) => {
      delete template.Resources.IngestFailureAlarm;
    };

    // Act
    const violations = violationsIntroducedBy('dev', noAlarm, securityRules);

    // Assess
    expect(violations).toEqual([expect.objectContaining({ rule: 'sqs.failure-alarm', resource: 'IngestFailureQueue' })]);
  });

  it('reports an alarm on the queue that watches something other than its messages', () => {
    // Prepare
    const wrongMetric = (template: CfnTemplate) => {
      propertiesOf(template, 'IngestFailureAlarm').MetricName = 'NumberOfEmptyReceives';
    };

    // Act
    const violations = violationsIntroducedBy('dev', wrongMetric, securityRules);

    // Assess
    expect(violations).toEqual([expect.objectContaining({ rule: 'sqs.failure-alarm', resource: 'IngestFailureQueue' })]);
  });

  it("grants SendMessage on each failure queue to its own function's role alone", () => {
    // Prepare
    const template = readPackagedTemplate('dev');

    // Act
    const sqsGrants = policyStatements(template).filter(
      ({ statement }) => statement.Effect === 'Allow' && JSON.stringify(statement.Action).includes('sqs:'),
    );

    // Assess
    const byRole = sqsGrants
      .map(({ resource, statement }) => ({ resource, statement }))
      .sort((a, b) => a.resource.localeCompare(b.resource));
    expect(byRole).toEqual([
      {
        resource: 'CognitoGlobalSignOutIamRoleLambdaExecution',
        statement: { Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: { 'Fn::GetAtt': ['SignOutEventFailureQueue', 'Arn'] } },
      },
      {
        resource: 'IngestFileIamRoleLambdaExecution',
        statement: { Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: { 'Fn::GetAtt': ['IngestFailureQueue', 'Arn'] } },
      },
    ]);
  });
});
