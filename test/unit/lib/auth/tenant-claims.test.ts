import { describe, expect, it } from 'vitest';
import { tenantClaimsResponse } from '../../../../src/lib/auth/tenant-claims';

describe('tenantClaimsResponse', () => {
  it('adds the same tenant claims to the access and the ID token', () => {
    // Act
    const response = tenantClaimsResponse({
      tenantId: 'tenant-a',
      role: 'member',
      joinedAt: '2024-01-01T00:00:00.000Z',
    });

    // Assess
    const claims = { claimsToAddOrOverride: { tenant_id: 'tenant-a', tenant_role: 'member' } };
    expect(response).toEqual({ claimsAndScopeOverrideDetails: { accessTokenGeneration: claims, idTokenGeneration: claims } });
  });

  it('suppresses both tenant claims in both tokens without a membership', () => {
    // Act
    const response = tenantClaimsResponse(undefined);

    // Assess
    const suppressed = { claimsToSuppress: ['tenant_id', 'tenant_role'] };
    expect(response).toEqual({ claimsAndScopeOverrideDetails: { accessTokenGeneration: suppressed, idTokenGeneration: suppressed } });
  });
});
