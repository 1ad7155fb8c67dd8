import type { Exchange } from './contract';
import { stack } from './stack';

export type ApiResponse = { status: number; headers: Headers; body: unknown; text: string };

let checkResponse: ((exchange: Exchange) => void) | undefined;

/**
 * Every later `api()` answer goes through `check` (the integration project checks each against the
 * OpenAPI document: test/integration/setup-contract.ts). Returns the check it replaces.
 */
export const checkEveryResponse = (check: ((exchange: Exchange) => void) | undefined): ((exchange: Exchange) => void) | undefined => {
  const previous = checkResponse;
  checkResponse = check;
  return previous;
};

export const api = async (
  path: string,
  options: { method?: string; token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<ApiResponse> => {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] ??= 'application/json';
  const method = options.method ?? 'GET';
  const res = await fetch(`${stack.apiUrl}${path}`, {
    method,
    headers,
    ...(options.body !== undefined ? { body: typeof options.body === 'string' ? options.body : JSON.stringify(options.body) } : {}),
  });
  const text = await res.text();
  checkResponse?.({ method, path, status: res.status, headers: res.headers, text });
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  return { status: res.status, headers: res.headers, body, text };
};
