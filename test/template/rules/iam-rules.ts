import { asList, type CfnTemplate, isRecord, renderString, type Violation } from '../cfn-template';

/**
 * Least privilege in every policy document of the template: identity
 * policies (roles, users, groups, managed policies) and resource policies
 * (bucket policies and the like) alike. Deny statements may be broad: the
 * TLS-only bucket statement denies `s3:*` on purpose.
 */

/**
 * Actions that AWS does not let a policy scope to a resource (the Service
 * Authorization Reference lists no resource type for them), so `Resource: "*"`
 * is the only form IAM accepts. Serverless adds the X-Ray pair when
 * `tracing.lambda` is on. Its log statements are not here: it already scopes
 * them to the service's own log groups.
 */
const ACTIONS_WITHOUT_RESOURCE_SCOPE = new Set([
  'xray:puttracesegments',
  'xray:puttelemetryrecords',
  'cloudwatch:putmetricdata', // scoped by the cloudwatch:namespace condition instead
]);

/** AWS managed policies that amount to `*` or `service:*`. */
const BROAD_MANAGED_POLICY = /:policy\/(?:.*\/)?(?:AdministratorAccess|PowerUserAccess|\w*FullAccess)$/;

interface FoundStatement {
  resource: string;
  path: string;
  statement: Record<string, unknown>;
}

/** Every policy statement anywhere in the resources' properties. */
export function policyStatements(template: CfnTemplate): FoundStatement[] {
  const found: FoundStatement[] = [];
  const visit = (resource: string, value: unknown, path: string): void => {
    if (Array.isArray(value)) {
      for (const [index, element] of value.entries()) visit(resource, element, `${path}[${index}]`);
      return;
    }
    if (!isRecord(value)) return;
    for (const [key, child] of Object.entries(value)) {
      if (key !== 'Statement') {
        visit(resource, child, `${path}.${key}`);
        continue;
      }
      asList(child).forEach((statement, index) => {
        if (isRecord(statement)) found.push({ resource, path: `${path}.Statement[${index}]`, statement });
      });
    }
  };
  for (const [logicalId, resource] of Object.entries(template.Resources)) visit(logicalId, resource.Properties, 'Properties');
  return found;
}

export function checkIamRules(template: CfnTemplate): Violation[] {
  const violations: Violation[] = [];
  for (const { resource, path, statement } of policyStatements(template)) {
    if (statement.Effect !== 'Allow') continue;
    const report = (rule: string, message: string) => violations.push({ rule, resource, path, message });
    const actions = asList(statement.Action).filter((action): action is string => typeof action === 'string');
    const wildcards = actions.filter(isWildcardAction);
    if (wildcards.length > 0) report('iam.no-wildcard-action', `allows ${wildcards.join(', ')}`);
    if (statement.NotAction !== undefined) report('iam.no-wildcard-action', 'Allow with NotAction allows every other action');
    const unscoped = actions.filter((action) => !ACTIONS_WITHOUT_RESOURCE_SCOPE.has(action.toLowerCase()));
    if (asList(statement.Resource).includes('*') && unscoped.length > 0) {
      report('iam.no-wildcard-resource', `allows ${unscoped.join(', ')} on Resource "*"`);
    }
    if (statement.NotResource !== undefined) report('iam.no-wildcard-resource', 'Allow with NotResource allows every other resource');
  }
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    asList(resource.Properties?.ManagedPolicyArns).forEach((arn, index) => {
      const rendered = renderString(arn);
      if (rendered && BROAD_MANAGED_POLICY.test(rendered)) {
        violations.push({
          rule: 'iam.no-broad-managed-policy',
          resource: logicalId,
          path: `Properties.ManagedPolicyArns[${index}]`,
          message: `${rendered} grants whole services`,
        });
      }
    });
  }
  return violations;
}

function isWildcardAction(action: string): boolean {
  return action === '*' || /^[^:]+:\*+$/.test(action);
}
