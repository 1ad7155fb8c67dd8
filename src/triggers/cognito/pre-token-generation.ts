import { tenantClaimsResponse } from '../../lib/auth/tenant-claims';
import { cognitoTrigger } from '../../lib/cognito/trigger';
import { type PreTokenGenerationV2Event, preTokenGenerationV2EventSchema } from '../../lib/cognito/trigger-events';
import { findDomainOwner } from '../../lib/domains/domain-claim';
import { normalizeEmail } from '../../lib/invites/invite';
import { appendLogKeys } from '../../lib/log-context';
import { enforcingSsoOf, findProviderSso } from '../../lib/sso/federation-lookup';
import {
  emailDomainOf,
  federatedTokenAllowed,
  isOwnSignIn,
  rechecksProviders,
  refusedByEnforcement,
  SSO_REFUSED_MESSAGE,
  SSO_REQUIRED_MESSAGE,
  tenantIdentityOf,
  tenantProvidersOf,
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
 * A user of a tenant's identity provider (created by it, or linked to it)
 * gets tokens through it, and refreshes them, only while that provider is
 * still the tenant's and their email still in a domain the tenant verified.
 * Where a tenant enforces SSO for the email's domain, a sign-in other than
 * through that tenant's provider is refused (own sign-ins, the hosted page's
 * password form, other providers).
 */
const checkSsoRules = async (event: PreTokenGenerationV2Event): Promise<void> => {
  const { email, identities } = event.request.userAttributes;
  const normalized = typeof email === 'string' ? normalizeEmail(email) : undefined;
  const providers = tenantProvidersOf(event.userName, identities);
  const pureTenantUser = tenantIdentityOf(event.userName) !== undefined;
  const rechecks = providers.length > 0 && (pureTenantUser || rechecksProviders(event.triggerSource));
  const enforces = isOwnSignIn(event.triggerSource) || event.triggerSource === 'TokenGeneration_HostedAuth';
  if (!rechecks && !enforces) return;
  // The domain's owner and the providers' SSOs are read once, for both checks.
  const domain = emailDomainOf(normalized);
  const [owner, ...ssos] = await Promise.all([
    domain ? findDomainOwner(domain) : undefined,
    ...(rechecks ? providers.map(findProviderSso) : []),
  ]);
  if (rechecks && !ssos.every((sso) => federatedTokenAllowed(sso, owner))) throw new Error(SSO_REFUSED_MESSAGE);
  if (enforces) {
    const enforcing = await enforcingSsoOf(owner, ssos);
    if (enforcing && refusedByEnforcement(event.triggerSource, providers, enforcing)) throw new Error(SSO_REQUIRED_MESSAGE);
  }
};

export const handler = cognitoTrigger(preTokenGenerationV2EventSchema, preTokenGeneration);
