import { type CfnTemplate, isTrue, resourcesOfType, stringLeaves, type Violation } from '../cfn-template';

/**
 * What only production must have (serverless.yml `params.prod`): the pool
 * and the table survive an accidental stack deletion, MFA is required of
 * every user, and nothing in the stack (callback URLs, CORS origins,
 * environment) names a developer's machine.
 */

const LOOPBACK = /localhost|127\.0\.0\.1/i;

export function checkProductionRules(template: CfnTemplate): Violation[] {
  const violations: Violation[] = [];
  for (const [poolId, pool] of resourcesOfType(template, 'AWS::Cognito::UserPool')) {
    if (pool.DeletionProtection !== 'ACTIVE') {
      violations.push({
        rule: 'prod.user-pool-deletion-protection',
        resource: poolId,
        path: 'Properties.DeletionProtection',
        message: `DeletionProtection is ${String(pool.DeletionProtection)}, not ACTIVE`,
      });
    }
    if (pool.MfaConfiguration !== 'ON') {
      violations.push({
        rule: 'prod.mfa-required',
        resource: poolId,
        path: 'Properties.MfaConfiguration',
        message: `MfaConfiguration is ${String(pool.MfaConfiguration)}, not ON`,
      });
    }
  }
  for (const [tableId, table] of resourcesOfType(template, 'AWS::DynamoDB::Table')) {
    if (!isTrue(table.DeletionProtectionEnabled)) {
      violations.push({
        rule: 'prod.table-deletion-protection',
        resource: tableId,
        path: 'Properties.DeletionProtectionEnabled',
        message: 'DeletionProtectionEnabled is not true',
      });
    }
  }
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    for (const { path, text } of stringLeaves(resource.Properties, 'Properties')) {
      if (LOOPBACK.test(text)) {
        violations.push({ rule: 'prod.no-local-urls', resource: logicalId, path, message: `names this machine: ${text}` });
      }
    }
  }
  return violations;
}
