import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import * as z from 'zod';
import type { Role } from '../auth/roles';

/** Emails are compared lower-cased and trimmed everywhere: Cognito treats them case-insensitively. */
export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

export const emailSchema = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email({ message: 'must be an email address' }))
  .transform(normalizeEmail)
  .meta({ format: 'email', description: 'Compared trimmed and lower-cased.', examples: ['ana@acme.test'] });

export const INVITE_STATUSES = ['pending', 'accepted', 'revoked', 'expired'] as const;
export type InviteStatus = (typeof INVITE_STATUSES)[number];

export type Invite = {
  inviteId: string;
  tenantId: string;
  email: string;
  role: Role;
  status: InviteStatus;
  expiresAt: string;
  createdAt: string;
};

/** What the email's invite index holds: enough to admit a sign-up (the code's hash) and accept the invite. */
export type IndexedInvite = Invite & { codeHash?: string };

export const isUnexpired = (invite: { expiresAt: string }, now: Date): boolean => Date.parse(invite.expiresAt) > now.getTime();

/** A stored `pending` invite past its expiry is shown as `expired`. */
export const effectiveStatus = (stored: InviteStatus, expiresAt: string, now: Date): InviteStatus =>
  stored === 'pending' && !isUnexpired({ expiresAt }, now) ? 'expired' : stored;

export const inviteExpiry = (now: Date, ttlDays: number): string => new Date(now.getTime() + ttlDays * 24 * 60 * 60 * 1000).toISOString();

/** The invite to accept at sign-up when several tenants invited the same person: the newest. */
export const newestInvite = <T extends { createdAt: string }>(invites: T[]): T | undefined =>
  [...invites].sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];

/**
 * The invite's secret: 256 random bits, URL-safe. It travels only in the
 * invite email (and the operator CLI's output); the table keeps its SHA-256,
 * which is safe unsalted because the code has far more entropy than anyone
 * could search.
 */
export const newInviteCode = (): string => randomBytes(32).toString('base64url');

export const hashInviteCode = (code: string): string => createHash('sha256').update(code, 'utf8').digest('base64url');

/** Compares in constant time, so response timing tells nothing about how close a guess was. */
export const inviteCodeMatches = (code: string | undefined, hash: string | undefined): boolean => {
  if (!code || !hash) return false;
  const given = Buffer.from(hashInviteCode(code));
  const stored = Buffer.from(hash);
  return given.length === stored.length && timingSafeEqual(given, stored);
};
