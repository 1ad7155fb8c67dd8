import { Logger } from '@aws-lambda-powertools/logger';

/** One structured JSON logger per container. Never log tokens or request bodies. */
export const logger = new Logger({ serviceName: 'tenantgate' });
