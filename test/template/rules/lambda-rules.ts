import { type CfnTemplate, isRecord, referencedLogicalId, renderString, resourcesOfType, stringsIn, type Violation } from '../cfn-template';

/**
 * Every function runs on a runtime AWS still supports for new functions
 * (SPEC §1), logs into a group that expires its events, and carries no
 * loopback address in its environment: the local token issuer and the
 * emulators' endpoints must never reach a deployed stage (SPEC §4).
 */

const MIN_NODE_MAJOR = 22;
const LOOPBACK = /localhost|127\.0\.0\.1/i;

export function checkLambdaRules(template: CfnTemplate): Violation[] {
  const retentionByLogGroup = logGroupRetentions(template);
  const violations: Violation[] = [];
  const functionsByRole = new Map<string, string[]>();
  for (const [functionId, fn] of resourcesOfType(template, 'AWS::Lambda::Function')) {
    const report = (rule: string, path: string, message: string) => violations.push({ rule, resource: functionId, path, message });

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
