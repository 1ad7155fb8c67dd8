import type { CfnTemplate, Violation } from './cfn-template';
import { checkResourceSchemas } from './resource-schema';
import { checkAsyncInvokeRules } from './rules/async-invoke-rules';
import { checkCognitoRules } from './rules/cognito-rules';
import { checkIamRules } from './rules/iam-rules';
import { checkLambdaRules } from './rules/lambda-rules';
import { checkProductionRules } from './rules/production-rules';
import { checkStorageRules } from './rules/storage-rules';

/**
 * The checks `npm run package`'s template must pass (SPEC §5): AWS's
 * resource schemas, then the security rules. Each returns violations rather
 * than throwing, so a test can break one thing in a copy of the template and
 * look for exactly that violation.
 */

export interface TemplateCheckOptions {
  /** Also apply the rules only production must meet (deletion protection, required MFA). */
  production: boolean;
}

export function checkSecurityRules(template: CfnTemplate, options: TemplateCheckOptions): Violation[] {
  return [
    ...checkIamRules(template),
    ...checkStorageRules(template),
    ...checkCognitoRules(template),
    ...checkLambdaRules(template),
    ...checkAsyncInvokeRules(template),
    ...(options.production ? checkProductionRules(template) : []),
  ];
}

export function checkTemplate(template: CfnTemplate, options: TemplateCheckOptions): Violation[] {
  return [...checkResourceSchemas(template), ...checkSecurityRules(template, options)];
}
