/** Types of the pool-level federation rules (the module is CommonJS, loaded by the stage guard). */
type Template = { Resources: Record<string, unknown>; [section: string]: unknown };

declare const federation: {
  /** The stage config key (google, apple, facebook, amazon, oidc, saml) → what the provider becomes. */
  PROVIDERS: Record<string, { logicalId: string; providerName?: string; providerType: string; fields: Record<string, string> }>;
  federationProblems(federation: unknown): string[];
  federationResources(federation: unknown): Record<string, { Type: string; Properties: Record<string, unknown> }>;
  withFederation<T extends Template>(template: T, federation: unknown): T;
  keepTenantProviders<T extends Template>(template: T, liveProviders: string[] | undefined): T;
  templateValue(value: unknown): unknown;
};

export = federation;
