import type { Role } from '../auth/roles';
import { emailDomain } from '../domains/domain';
import { isTenantProviderName } from './provider-name';

/**
 * The rules of a federated sign-in, as pure functions over what the Cognito
 * triggers read. The reads live in federation-lookup.ts; the triggers
 * (src/triggers/cognito) only wire the two together.
 */

/** What the table says about a tenant's SSO: enough for the triggers to decide. */
export type TenantSso = {
  tenantId: string;
  providerName: string;
  type: 'oidc' | 'saml';
  defaultRole: Role;
  enforce: boolean;
};

/** A Cognito user created by an identity provider is named `<ProviderName>_<subject>`. */
export type ExternalIdentity = { providerName: string; subject: string };

/**
 * The identity provider and subject in a federated user's Cognito user name.
 * Cognito's provider names never start with `_`, and neither ours (`t-…`) nor
 * the pool-level ones (Google, SignInWithApple, Facebook, LoginWithAmazon and
 * the stage's own, checked by the stage guard) contain one, so the first `_`
 * ends the name.
 */
export const externalIdentityOf = (userName: string): ExternalIdentity | undefined => {
  const cut = userName.indexOf('_');
  if (cut <= 0 || cut === userName.length - 1) return undefined;
  return { providerName: userName.slice(0, cut), subject: userName.slice(cut + 1) };
};

/** The user name of a user created through one of the tenants' own providers, else undefined. */
export const tenantIdentityOf = (userName: string): ExternalIdentity | undefined => {
  const identity = externalIdentityOf(userName);
  return identity && isTenantProviderName(identity.providerName) ? identity : undefined;
};

/** The domain of an email address (domains/domain.ts), undefined without an email or a valid domain. */
export const emailDomainOf = (email: string | undefined): string | undefined => (email ? emailDomain(email) : undefined);

/** Cognito passes attributes as strings: an OIDC provider's `email_verified` arrives as 'true' or 'false'. */
export const isAssertedVerified = (sso: Pick<TenantSso, 'type'>, emailVerified: string | undefined): boolean =>
  // SAML has no email_verified: for it, the tenant's verified domain is what vouches for the address.
  sso.type === 'saml' ? emailVerified !== 'false' : emailVerified === 'true';

/** Shown by Cognito to the person signing in; the same for every cause, so it tells an outsider nothing. */
export const SSO_REFUSED_MESSAGE = "Your organization's sign-in did not allow this account. Ask your organization's administrator.";

/** Shown once, when a first sign-in through the organization's provider linked an existing account. */
export const SSO_LINKED_MESSAGE = 'Your company account is now linked to your existing account: sign in again to continue.';

/** Shown to a person whose organization requires its own sign-in. */
export const SSO_REQUIRED_MESSAGE = "Your organization requires its own sign-in: use 'Sign in with your company account'.";

export type FederatedSignUpInput = {
  /** The tenant SSO the provider belongs to (undefined: no tenant owns it, e.g. deleted). */
  sso: TenantSso | undefined;
  email: string | undefined;
  emailVerified: string | undefined;
  /** The tenant that verified the email's domain, if any. */
  domainOwner: string | undefined;
  /** An existing (confirmed) password account with this email, with its memberships. */
  existingAccount: { username: string; userId: string; memberships: { tenantId: string; role: Role }[] } | undefined;
};

export type FederatedSignUpDecision =
  | { kind: 'create'; tenantId: string }
  /** `joins`: the account belongs to no tenant yet and joins this one with its default role. */
  | { kind: 'link'; tenantId: string; username: string; userId: string; joins: boolean }
  | {
      kind: 'refuse';
      reason: 'no-owner' | 'no-email' | 'unverified-email' | 'foreign-domain' | 'member-elsewhere' | 'privileged-account';
    };

/** Roles whose accounts an identity provider may never take over by a link: the provider would then sign in as them, without their MFA. */
const NEVER_LINKED: readonly Role[] = ['owner', 'admin'];

/**
 * A first sign-in through tenant T's provider: the asserted, verified email
 * must be in a domain T verified, so T's provider speaks only for T's own
 * people. An existing password account with that email is linked (not
 * duplicated), but only if it belongs to no tenant but T (a provider of A
 * never opens a session that carries B) and is no admin or owner of T (the
 * provider would sign in as them, past their MFA: they keep their own
 * sign-in).
 */
export const decideFederatedSignUp = (input: FederatedSignUpInput): FederatedSignUpDecision => {
  const { sso } = input;
  if (!sso) return { kind: 'refuse', reason: 'no-owner' };
  if (!emailDomainOf(input.email)) return { kind: 'refuse', reason: 'no-email' };
  if (!isAssertedVerified(sso, input.emailVerified)) return { kind: 'refuse', reason: 'unverified-email' };
  if (input.domainOwner !== sso.tenantId) return { kind: 'refuse', reason: 'foreign-domain' };
  const account = input.existingAccount;
  if (!account) return { kind: 'create', tenantId: sso.tenantId };
  if (account.memberships.some((m) => m.tenantId !== sso.tenantId)) return { kind: 'refuse', reason: 'member-elsewhere' };
  if (account.memberships.some((m) => NEVER_LINKED.includes(m.role))) return { kind: 'refuse', reason: 'privileged-account' };
  return {
    kind: 'link',
    tenantId: sso.tenantId,
    username: account.username,
    userId: account.userId,
    joins: account.memberships.length === 0,
  };
};

/**
 * Every later token of a user created through tenant T's provider (a sign-in
 * or a refresh): the provider must still be T's and the email still in a
 * domain T verified; deleting the SSO or the domain ends those sessions at
 * their next token.
 */
export const federatedTokenAllowed = (sso: TenantSso | undefined, domainOwner: string | undefined): boolean =>
  sso !== undefined && domainOwner === sso.tenantId;

/** The sign-ins that are not through an identity provider: password, SRP, email code, passkey. */
const OWN_SIGN_IN_SOURCES = new Set([
  'TokenGeneration_Authentication',
  'TokenGeneration_NewPasswordChallenge',
  'TokenGeneration_AuthenticateDevice',
]);

export const isOwnSignIn = (triggerSource: string): boolean => OWN_SIGN_IN_SOURCES.has(triggerSource);

const HOSTED = 'TokenGeneration_HostedAuth';

/**
 * Where a tenant enforces SSO for the email's domain, which sign-ins are
 * refused: every own sign-in, and a hosted-login sign-in (the hosted page's
 * password form, or another provider such as Google) by a user who holds no
 * identity of the enforcing tenant's provider. A refresh is not a sign-in.
 */
export const refusedByEnforcement = (triggerSource: string, tenantProviders: readonly string[], enforcing: TenantSso): boolean =>
  isOwnSignIn(triggerSource) || (triggerSource === HOSTED && !tenantProviders.includes(enforcing.providerName));

/** Whether the user's tenant providers are rechecked for this token: a hosted sign-in or a refresh. */
export const rechecksProviders = (triggerSource: string): boolean =>
  triggerSource === HOSTED || triggerSource === 'TokenGeneration_RefreshTokens';

/**
 * The tenant providers a user signs in through: the one that created the
 * user (its user name), and those linked to it (Cognito's `identities`
 * attribute, a JSON array of `{ providerName, … }`). Malformed: none.
 */
export const tenantProvidersOf = (userName: string, identities: unknown): string[] => {
  const names = new Set<string>();
  const own = tenantIdentityOf(userName);
  if (own) names.add(own.providerName);
  if (typeof identities === 'string') {
    try {
      const parsed: unknown = JSON.parse(identities);
      for (const entry of Array.isArray(parsed) ? parsed : []) {
        const name = (entry as { providerName?: unknown } | null)?.providerName;
        if (typeof name === 'string' && isTenantProviderName(name)) names.add(name);
      }
    } catch {
      // Not Cognito's JSON: no linked provider.
    }
  }
  return [...names];
};
