import type { CfnTemplate, Violation } from './cfn-template';
import { type PackagedStage, readPackagedTemplate } from './packaged-templates';

/**
 * The violations a change to a copy of a packaged template adds, and only
 * those: a negative test then asserts exactly the one it expects, whatever
 * else the current template may still lack.
 */
export function violationsIntroducedBy(
  stage: PackagedStage,
  mutate: (template: CfnTemplate) => void,
  check: (template: CfnTemplate) => Violation[],
): Violation[] {
  const known = new Set(check(readPackagedTemplate(stage)).map(identity));
  const template = readPackagedTemplate(stage);
  mutate(template);
  return check(template).filter((violation) => !known.has(identity(violation)));
}

function identity(violation: Violation): string {
  return JSON.stringify([violation.rule, violation.resource, violation.path, violation.message]);
}
