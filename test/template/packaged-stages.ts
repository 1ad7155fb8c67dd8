/** The stages the template project packages: a default stage, and production with its own params. */
export const PACKAGED_STAGES = ['dev', 'prod'] as const;
export type PackagedStage = (typeof PACKAGED_STAGES)[number];

declare module 'vitest' {
  export interface ProvidedContext {
    /** Stage → path of its packaged `cloudformation-template-update-stack.json` (set by global-setup.ts). */
    templatePaths: Record<PackagedStage, string>;
  }
}
