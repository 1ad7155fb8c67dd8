import { describe, expect, it } from 'vitest';
import { asList, type CfnTemplate, isRecord, propertiesOf, referencedLogicalId, renderString, resourcesOfType } from './cfn-template';
import { PACKAGED_STAGES, readPackagedTemplate } from './packaged-templates';
import { policyStatements } from './rules/iam-rules';

/** serverless.yml `cognitoGlobalSignOut`, named as osls names it. */
const FUNCTION = 'CognitoGlobalSignOutLambdaFunction';
const ROLE = 'CognitoGlobalSignOutIamRoleLambdaExecution';

/** The rules (by logical id) whose targets include the function. */
const rulesInvoking = (template: CfnTemplate, functionId: string) =>
  resourcesOfType(template, 'AWS::Events::Rule').filter(([, rule]) =>
    asList(rule.Targets).some((target) => isRecord(target) && referencedLogicalId(target.Arn) === functionId),
  );

describe.each(PACKAGED_STAGES)("Cognito's own GlobalSignOut, honoured through EventBridge (%s)", (stage) => {
  const template = readPackagedTemplate(stage);

  it("runs the function on CloudTrail's record of a GlobalSignOut at Cognito, and on nothing else", () => {
    const rules = rulesInvoking(template, FUNCTION);

    expect(rules).toHaveLength(1);
    const [, rule] = rules[0] ?? [];
    expect(rule?.EventPattern).toEqual({
      source: ['aws.cognito-idp'],
      'detail-type': ['AWS API Call via CloudTrail'],
      detail: { eventSource: ['cognito-idp.amazonaws.com'], eventName: ['GlobalSignOut'] },
    });
    expect(rule?.State).toBe('ENABLED');
    // The default bus: CloudTrail delivers there, and only AWS services put events with an `aws.` source on it.
    expect(rule?.EventBusName).toBeUndefined();
    expect(resourcesOfType(template, 'AWS::Events::Rule')).toHaveLength(1);
  });

  it('lets EventBridge invoke the function for that rule only', () => {
    const [, rule] = rulesInvoking(template, FUNCTION)[0] ?? [];
    const permissions = resourcesOfType(template, 'AWS::Lambda::Permission').filter(
      ([, permission]) => referencedLogicalId(permission.FunctionName) === FUNCTION,
    );

    expect(permissions).toHaveLength(1);
    const [, permission] = permissions[0] ?? [];
    expect(permission).toMatchObject({ Action: 'lambda:InvokeFunction', Principal: 'events.amazonaws.com' });
    const sourceArn = JSON.stringify(permission?.SourceArn);
    expect(sourceArn).toContain('"events"');
    expect(sourceArn).toContain(`"${String(rule?.Name)}"`);
  });

  it('gives the function a role of its own with only the table actions it uses, and no Cognito action', () => {
    const statements = policyStatements(template)
      .filter(({ resource, path }) => resource === ROLE && path.startsWith('Properties.Policies'))
      .map(({ statement }) => statement)
      .filter((statement) => !asList(statement.Action).every((action) => String(action).startsWith('logs:')));

    expect(statements).toEqual([
      {
        Effect: 'Allow',
        Action: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:UpdateItem', 'dynamodb:PutItem'],
        Resource: { 'Fn::GetAtt': ['MainTable', 'Arn'] },
      },
      { Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: { 'Fn::GetAtt': ['SignOutEventFailureQueue', 'Arn'] } },
    ]);
    expect(referencedLogicalId(propertiesOf(template, FUNCTION).Role)).toBe(ROLE);
    const attached = resourcesOfType(template, 'AWS::IAM::Policy').filter(([, policy]) =>
      asList(policy.Roles).some((role) => referencedLogicalId(role) === ROLE),
    );
    expect(attached).toEqual([]);
  });

  it('tells the function which pool is its own, and holds it to the triggers\u2019 timeout', () => {
    const fn = propertiesOf(template, FUNCTION);
    const variables = isRecord(fn.Environment) && isRecord(fn.Environment.Variables) ? fn.Environment.Variables : {};

    expect(variables.USER_POOL_ID).toEqual({ Ref: 'UserPool' });
    expect(renderString(variables.REFRESH_TOKEN_DAYS)).toBe('30');
    expect(fn.Timeout).toBe(5);
  });

  it('retries a failed event twice, then keeps it in an encrypted queue that an alarm watches', () => {
    const config = resourcesOfType(template, 'AWS::Lambda::EventInvokeConfig').find(
      ([, candidate]) => referencedLogicalId(candidate.FunctionName) === FUNCTION,
    );

    expect(config?.[1]).toMatchObject({
      Qualifier: '$LATEST',
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': ['SignOutEventFailureQueue', 'Arn'] } } },
    });
    expect(propertiesOf(template, 'SignOutEventFailureQueue').SqsManagedSseEnabled).toBe(true);
    expect(propertiesOf(template, 'SignOutEventFailureAlarm')).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': ['SignOutEventFailureQueue', 'QueueName'] } }],
    });
  });
});
