import type { APIGatewayProxyEventV2 } from 'aws-lambda';

export type HttpEventInput = {
  method: string;
  /** The route as serverless.yml declares it, e.g. `/tenants/{tenantId}/members`. */
  route: string;
  path?: Record<string, string>;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: unknown;
};

/** An API Gateway HTTP API (v2) event as it reaches a function, for calling handlers outside API Gateway. */
export const httpEvent = (input: HttpEventInput): APIGatewayProxyEventV2 => {
  const rawPath = input.route.replace(/\{(\w+)\}/g, (_, name: string) => input.path?.[name] ?? 'missing');
  const query = input.query ?? {};
  const routeKey = `${input.method} ${input.route}`;
  return {
    version: '2.0',
    routeKey,
    rawPath,
    rawQueryString: new URLSearchParams(query).toString(),
    headers: {
      'user-agent': 'bench',
      ...(input.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...input.headers,
    },
    ...(input.path && Object.keys(input.path).length ? { pathParameters: input.path } : {}),
    ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
    ...(input.body !== undefined ? { body: JSON.stringify(input.body) } : {}),
    isBase64Encoded: false,
    requestContext: {
      accountId: '123456789012',
      apiId: 'bench',
      domainName: 'bench.execute-api.eu-west-1.amazonaws.com',
      domainPrefix: 'bench',
      http: { method: input.method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'bench' },
      requestId: 'bench',
      routeKey,
      stage: '$default',
      time: '02/Jun/2025:09:00:00 +0000',
      timeEpoch: 1_748_854_800_000,
    },
  };
};
