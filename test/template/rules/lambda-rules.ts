import { type CfnTemplate, isRecord, referencedLogicalId, renderString, resourcesOfType, stringsIn, type Violation } from '../cfn-template';

/**
 * Every function runs on a runtime AWS still supports for new functions
 * (SPEC §1), logs into a group that expires its events, and carries no
 * loopback address in its environment: the local token issuer and the
 * emulators' endpoints must never reach a deployed stage (SPEC §4). A Cognito
 * trigger ends within Cognito's 5-second wait, after which Cognito calls it
 * again (a longer run overlaps its own retry), and has a reserved concurrency,
 * so that a burst of other functions cannot throttle sign-ins.
 */

const MIN_NODE_MAJOR = 22;
const LOOPBACK = /localhost|127\.0\.0\.1/i;
const COGNITO_WAIT_SECONDS = 5;
/** What Lambda applies when a function sets no Timeout. */
const LAMBDA_DEFAULT_TIMEOUT_SECONDS = 3;

export function checkLambdaRules(template: CfnTemplate): Violation[] {
  const retentionByLogGroup = logGroupRetentions(template);
  const violations: Violation[] = [];
  const functionsByRole = new Map<string, string[]>();
  const cognitoTriggers = cognitoTriggerFunctions(template);
  for (const [functionId, fn] of resourcesOfType(template, 'AWS::Lambda::Function')) {
    const report = (rule: string, path: string, message: string) => violations.push({ rule, resource: functionId, path, message });

    if (cognitoTriggers.has(functionId)) {
      const timeout = fn.Timeout === undefined ? LAMBDA_DEFAULT_TIMEOUT_SECONDS : Number(fn.Timeout);
      if (!(timeout <= COGNITO_WAIT_SECONDS)) {
        report(
          'lambda.trigger-timeout',
          'Properties.Timeout',
          `${String(fn.Timeout)} s outlasts Cognito's ${COGNITO_WAIT_SECONDS}-second wait`,
        );
      }
      // 0 would throttle every sign-in; absent leaves the trigger to compete with every other function.
      if (!(Number(fn.ReservedConcurrentExecutions) > 0)) {
        report(
          'lambda.trigger-reserved-concurrency',
          'Properties.ReservedConcurrentExecutions',
          `${String(fn.ReservedConcurrentExecutions)} is no reserved concurrency for a Cognito trigger`,
        );
      }
    }

    const major = /^nodejs(\d+)\.x$/.exec(String(fn.Runtime))?.[1];
    if (fn.PackageType !== 'Image' && !(Number(major) >= MIN_NODE_MAJOR)) {
      report('lambda.runtime', 'Properties.Runtime', `${String(fn.Runtime)} is not nodejs${MIN_NODE_MAJOR}.x or newer`);
    }

    // Least privilege per function (SPEC §5): no role is shared between functions.
    const role = referencedLogicalId(fn.Role) ?? renderString(fn.Role) ?? '(none)';
    functionsByRole.set(role, [...(functionsByRole.get(role) ?? []), functionId]);

    const logGroup = logGroupOf(fn);
    const retention = logGroup === undefined ? undefined : retentionByLogGroup.get(logGroup);
    if (retention === undefined) {
      report(
        'lambda.log-retention',
        'Properties.FunctionName',
        `no log group with a retention for ${logGroup ?? 'a generated function name'}`,
      );
    }

    const variables = isRecord(fn.Environment) && isRecord(fn.Environment.Variables) ? fn.Environment.Variables : {};
    for (const [name, value] of Object.entries(variables)) {
      const loopback = stringsIn(value).find((text) => LOOPBACK.test(text));
      if (loopback !== undefined) {
        report('lambda.no-local-endpoints', `Properties.Environment.Variables.${name}`, `${name} points at this machine: ${loopback}`);
      }
    }
  }
  for (const [role, functionIds] of functionsByRole) {
    if (functionIds.length < 2) continue;
    for (const functionId of functionIds) {
      violations.push({
        rule: 'lambda.own-role',
        resource: functionId,
        path: 'Properties.Role',
        message: `${role} is shared by ${functionIds.join(', ')}`,
      });
    }
  }
  return violations;
}

/** The functions a user pool calls as triggers (every function its LambdaConfig refers to). */
function cognitoTriggerFunctions(template: CfnTemplate): Set<string> {
  const referenced = (value: unknown): string[] => {
    const id = referencedLogicalId(value);
    if (id !== undefined) return [id];
    if (Array.isArray(value)) return value.flatMap(referenced);
    return isRecord(value) ? Object.values(value).flatMap(referenced) : [];
  };
  const functions = new Set(resourcesOfType(template, 'AWS::Lambda::Function').map(([functionId]) => functionId));
  return new Set(
    resourcesOfType(template, 'AWS::Cognito::UserPool')
      .flatMap(([, pool]) => referenced(pool.LambdaConfig))
      .filter((id) => functions.has(id)),
  );
}

/** Log group name (or `${LogicalId}` for a referenced one) → retention in days. */
function logGroupRetentions(template: CfnTemplate): Map<string, unknown> {
  const retentions = new Map<string, unknown>();
  for (const [logGroupId, logGroup] of resourcesOfType(template, 'AWS::Logs::LogGroup')) {
    if (logGroup.RetentionInDays === undefined) continue;
    retentions.set(`\${${logGroupId}}`, logGroup.RetentionInDays);
    const name = renderString(logGroup.LogGroupName);
    if (name !== undefined) retentions.set(name, logGroup.RetentionInDays);
  }
  return retentions;
}

/** The group the function logs into: its LoggingConfig's, else Lambda's default `/aws/lambda/<name>`. */
function logGroupOf(fn: Record<string, unknown>): string | undefined {
  const configured = isRecord(fn.LoggingConfig) ? fn.LoggingConfig.LogGroup : undefined;
  if (configured !== undefined) {
    const referenced = referencedLogicalId(configured);
    return referenced === undefined ? renderString(configured) : `\${${referenced}}`;
  }
  const name = renderString(fn.FunctionName);
  return name === undefined ? undefined : `/aws/lambda/${name}`;
}
