import { tenantClaimsResponse } from '../../lib/auth/tenant-claims';
import { cognitoTrigger } from '../../lib/cognito/trigger';
import { type PreTokenGenerationV2Event, preTokenGenerationV2EventSchema } from '../../lib/cognito/trigger-events';
import { findDomainOwner } from '../../lib/domains/domain-claim';
import { normalizeEmail } from '../../lib/invites/invite';
import { appendLogKeys } from '../../lib/log-context';
import { findEnforcingSso, findProviderSso } from '../../lib/sso/federation-lookup';
import {
  emailDomainOf,
  federatedTokenAllowed,
  isOwnSignIn,
  SSO_REFUSED_MESSAGE,
  SSO_REQUIRED_MESSAGE,
  tenantIdentityOf,
} from '../../lib/sso/federation-policy';
import { findActiveMembership } from '../../lib/users/active-membership';

/**
 * Puts `tenant_id` and `tenant_role` into the access and the ID token from the
 * user's active membership, read strongly consistent, item by item (every
 * sign-in and refresh waits on it). A failed read fails the trigger: a token
 * never carries stale or guessed claims. An account of a tenant's SSO carries
 * that tenant's claims or none (active-membership.ts).
 */
export const preTokenGeneration = async (event: PreTokenGenerationV2Event): Promise<PreTokenGenerationV2Event> => {
  await checkSsoRules(event);
  const membership = await findActiveMembership(event.request.userAttributes.sub);
  appendLogKeys({ tenantId: membership?.tenantId });
  event.response = tenantClaimsResponse(membership);
  return event;
};

/**
 * A user of a tenant's identity provider gets tokens only while that provider
 * is still the tenant's and their email still in a domain the tenant verified
 * (every sign-in and refresh). Anyone else signing in on their own (password,
 * email code, passkey) is refused where a tenant enforces SSO for their
 * email's domain.
 */
const checkSsoRules = async (event: PreTokenGenerationV2Event): Promise<void> => {
  const email = event.request.userAttributes.email;
  const normalized = typeof email === 'string' ? normalizeEmail(email) : undefined;
  const tenantIdentity = tenantIdentityOf(event.userName);
  if (tenantIdentity) {
    const domain = emailDomainOf(normalized);
    const [sso, owner] = await Promise.all([findProviderSso(tenantIdentity.providerName), domain ? findDomainOwner(domain) : undefined]);
    if (!federatedTokenAllowed(sso, owner)) throw new Error(SSO_REFUSED_MESSAGE);
  } else if (isOwnSignIn(event.triggerSource) && (await findEnforcingSso(normalized))) {
    throw new Error(SSO_REQUIRED_MESSAGE);
  }
};

export const handler = cognitoTrigger(preTokenGenerationV2EventSchema, preTokenGeneration);
