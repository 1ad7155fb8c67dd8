import { readFileSync } from 'node:fs';
import { inject } from 'vitest';
import type { CfnTemplate } from './cfn-template';
import type { PackagedStage } from './packaged-stages';

export { PACKAGED_STAGES, type PackagedStage } from './packaged-stages';

/** A fresh copy of a stage's packaged template on every call, free to mutate. */
export function readPackagedTemplate(stage: PackagedStage): CfnTemplate {
  return JSON.parse(readFileSync(inject('templatePaths')[stage], 'utf8')) as CfnTemplate;
}
