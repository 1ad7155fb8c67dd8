import { describe, expect, it } from 'vitest';
import { api, checkEveryResponse } from '../support/api';
import type { Exchange } from '../support/contract';

/**
 * The integration project checks every api() answer against docs/openapi.json
 * (test/integration/setup-contract.ts); what the check refuses is unit-tested
 * in test/unit/project/response-contract.test.ts.
 */
describe('the response contract during the integration run', () => {
  it('is installed, sees every api() answer, and fails a test whose answer has a field the document does not declare', async () => {
    // Prepare: watch the installed check
    const seen: Exchange[] = [];
    const installed = checkEveryResponse((exchange) => {
      seen.push(exchange);
      installed?.(exchange);
    });

    // Act
    try {
      await api('/health');
    } finally {
      checkEveryResponse(installed);
    }

    // Assess
    expect(installed).toBeDefined();
    expect(seen.map((e) => `${e.method} ${e.path} ${e.status}`)).toEqual(['GET /health 200']);
    const [health] = seen as [Exchange];
    expect(() => installed?.({ ...health, text: JSON.stringify({ status: 'ok', version: '1' }) })).toThrow(
      /must NOT have additional properties/,
    );
  });
});
