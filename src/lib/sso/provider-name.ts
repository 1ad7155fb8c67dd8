import { createHash } from 'node:crypto';

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** The prefix of every Cognito identity provider a tenant owns; no pool-level provider name starts with it. */
export const TENANT_PROVIDER_PREFIX = 't-';

/**
 * The Cognito identity provider name of a tenant's SSO: derived from the
 * tenant id alone (28 characters of `[a-z2-7-]`, inside Cognito's 32 and its
 * name pattern), so it never comes from client input and one tenant has
 * exactly one. `IDP#<name>` in the table maps it back to its tenant.
 */
export const tenantProviderName = (tenantId: string): string => {
  const digest = createHash('sha256').update(tenantId).digest();
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of digest) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < 26) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    if (out.length === 26) break;
  }
  return `${TENANT_PROVIDER_PREFIX}${out}`;
};

export const isTenantProviderName = (name: string): boolean => /^t-[a-z2-7]{26}$/.test(name);
