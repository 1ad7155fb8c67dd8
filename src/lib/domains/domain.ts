import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import * as z from 'zod';

/**
 * A domain a tenant claims, as the API shows it. `txtRecord` is what the
 * owner publishes in DNS to prove control: a TXT record at `name` holding
 * `value`. `verifiedAt` only once verified.
 */
export const DOMAIN_STATUSES = ['pending', 'verified'] as const;
export type DomainStatus = (typeof DOMAIN_STATUSES)[number];

export type TenantDomain = {
  domain: string;
  status: DomainStatus;
  txtRecord: { name: string; value: string };
  createdAt: string;
  verifiedAt?: string;
};

/** How many domains one tenant may hold, pending and verified together. */
export const MAX_DOMAINS_PER_TENANT = 20;

const MAX_LENGTH = 253;
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const NUMERIC = /^[0-9]+$/;
const IP_LITERAL = 'must be a domain name, not an IP address';

/** Lowercased, without the trailing dot of a fully qualified name: the one spelling keys are built from. */
export const normalizeDomain = (raw: string): string => raw.trim().toLowerCase().replace(/\.$/, '');

/**
 * Why a normalized name is not a domain a tenant may claim, or undefined when
 * it is one: ASCII labels of 1–63 letters, digits and hyphens (not at either
 * end), at least two of them, at most 253 characters, and not an IP address.
 * An internationalized name is accepted in its punycode form (`xn--…`) only,
 * so one domain has one spelling.
 */
export const domainProblem = (name: string): string | undefined => {
  if (!/^[\x20-\x7e]*$/.test(name)) {
    return 'must be written in ASCII: give an internationalized domain in its punycode form (xn--…)';
  }
  if (name.length === 0) return 'must not be empty';
  if (name.length > MAX_LENGTH) return `must be at most ${MAX_LENGTH} characters`;
  if (isIP(name) !== 0) return IP_LITERAL;
  const labels = name.split('.');
  if (labels.length < 2) return 'must have at least two labels, like example.com';
  if (labels.some((l) => l.length === 0)) return 'must not have an empty label';
  if (labels.some((l) => l.length > 63)) return 'must not have a label longer than 63 characters';
  if (labels.some((l) => !LABEL.test(l))) {
    return 'labels hold only letters, digits and hyphens, and neither start nor end with a hyphen';
  }
  // No top-level domain is numeric: `10.0.0.1` and its kin are addresses, however written.
  if (NUMERIC.test(labels.at(-1) ?? '')) return IP_LITERAL;
  return undefined;
};

/** A domain as a client sends it (body or path), normalized, or refused with the reason. */
export const domainSchema = z
  .string()
  .max(MAX_LENGTH + 8)
  .transform(normalizeDomain)
  .check((ctx) => {
    const problem = domainProblem(ctx.value);
    if (problem) ctx.issues.push({ code: 'custom', message: problem, input: ctx.value });
  })
  .meta({ description: 'A DNS domain name, e.g. `acme.com` (lowercased; a trailing dot is dropped; punycode for IDNs).' });

/**
 * The domain part of an email address, normalized, when it is a valid domain;
 * undefined otherwise. Pure: what discovery and the sign-in triggers compare
 * with a tenant's verified domains.
 */
export const emailDomain = (email: string): string | undefined => {
  const at = email.lastIndexOf('@');
  if (at <= 0) return undefined;
  const domain = normalizeDomain(email.slice(at + 1));
  return domainProblem(domain) === undefined ? domain : undefined;
};

/** The DNS name that must hold the challenge: one label under the domain, as other verifiers do. */
export const challengeName = (domain: string): string => `_tenantgate-challenge.${domain}`;

export const CHALLENGE_PREFIX = 'tenantgate-domain-verification=';

/** 256 random bits: no one can guess the value another tenant was given. */
export const newChallengeValue = (): string => `${CHALLENGE_PREFIX}${randomBytes(32).toString('base64url')}`;
