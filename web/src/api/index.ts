import { createTenantgateClient, type TenantgateClient } from '../../../client';
import { accessToken } from '../auth/session';
import type { WebConfig } from '../config';
import type { Problem } from './types';

let client: TenantgateClient | undefined;

export const initApi = (config: WebConfig): void => {
  client = createTenantgateClient({ baseUrl: config.apiUrl, accessToken });
};

/** The typed API client; every call carries a fresh access token. */
export const api = (): TenantgateClient => {
  if (!client) throw new Error('initApi was not called');
  return client;
};

/** An answer other than 2xx, with what the API said in words a person can act on. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const describe = (problem: Problem | undefined, status: number): string => {
  const fields = (problem?.errors ?? []).map((e) => (e.path ? `${e.path}: ${e.message}` : e.message));
  const main = problem?.detail ?? problem?.title ?? `The server answered ${status}.`;
  return fields.length > 0 ? `${main} (${fields.join('; ')})` : main;
};

type Answer<T> = { data?: T; error?: unknown; response: Response };

/** The data of a successful call; anything else becomes an ApiError. */
export const must = async <T>(call: Promise<Answer<T>>): Promise<T> => {
  const { data, error, response } = await call;
  if (!response.ok || error !== undefined) throw new ApiError(response.status, describe(error as Problem | undefined, response.status));
  return data as T;
};
