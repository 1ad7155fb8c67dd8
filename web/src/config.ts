/**
 * The stage the app talks to, read at start from `/config.json` beside the app:
 * one build serves every stage. Locally the stack writes it from stack.json; for
 * a deployed stage it is written from the stack outputs (README).
 */
export type WebConfig = {
  region: string;
  apiUrl: string;
  cognito: { userPoolId: string; clientId: string; endpoint?: string };
};

const text = (value: unknown, name: string): string => {
  if (typeof value !== 'string' || value === '') throw new Error(`config.json: ${name} must be a non-empty string`);
  return value;
};

export const parseConfig = (raw: unknown): WebConfig => {
  const c = (raw ?? {}) as { region?: unknown; apiUrl?: unknown; cognito?: Record<string, unknown> };
  const cognito = c.cognito ?? {};
  return {
    region: text(c.region, 'region'),
    apiUrl: text(c.apiUrl, 'apiUrl').replace(/\/+$/, ''),
    cognito: {
      userPoolId: text(cognito.userPoolId, 'cognito.userPoolId'),
      clientId: text(cognito.clientId, 'cognito.clientId'),
      // Only the local stack has one; on AWS Amplify derives Cognito's endpoint from the pool's region.
      ...(cognito.endpoint === undefined ? {} : { endpoint: text(cognito.endpoint, 'cognito.endpoint') }),
    },
  };
};
