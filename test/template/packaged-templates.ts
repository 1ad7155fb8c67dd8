import { readFileSync } from 'node:fs';
import { inject } from 'vitest';
import type { CfnTemplate } from './cfn-template';

/** The stages the template project packages: a default stage, and production with its own params. */
export const PACKAGED_STAGES = ['dev', 'prod'] as const;
export type PackagedStage = (typeof PACKAGED_STAGES)[number];

declare module 'vitest' {
  export interface ProvidedContext {
    /** Stage → path of its packaged `cloudformation-template-update-stack.json`. */
    templatePaths: Record<PackagedStage, string>;
  }
}

/** A fresh copy of a stage's packaged template on every call, free to mutate. */
export function readPackagedTemplate(stage: PackagedStage): CfnTemplate {
  return JSON.parse(readFileSync(inject('templatePaths')[stage], 'utf8')) as CfnTemplate;
}
