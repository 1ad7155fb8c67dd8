/** Types of the stage-guard plugin's rules (the plugin itself is CommonJS, loaded by Serverless). */
type Stack = { StackStatus?: string; Outputs?: { OutputKey?: string; OutputValue?: string }[] } | undefined;
type Template = { Resources: Record<string, unknown>; Outputs?: Record<string, unknown> };

declare class StageGuard {
  constructor(serverless: unknown, options: unknown);
  static stageNameProblem(stage: string): string | undefined;
  static webOriginProblem(origin: string): string | undefined;
  static droppedWebOrigin(stack: Stack, origin: string): string | undefined;
  static hasCompletedOnce(stack: Stack): boolean;
  static deployedLoginPrefix(stack: Stack): string | undefined;
  static firstDeployTemplate<T extends Template>(template: T): T;
  static keepLoginPrefix<T extends Template>(template: T, prefix: string | undefined): T;
  static withoutUnusedDefaultRole<T extends Template>(template: T): T;
}

export = StageGuard;
