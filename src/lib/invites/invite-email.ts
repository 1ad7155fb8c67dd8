import * as z from 'zod';
import { ENV } from '../env-names';
import { logger } from '../logger';
import { sendMail } from '../mail/mailer';
import { optional, readConfig } from '../read-config';
import type { Invite } from './invite';

/** Where invitees sign up: the web app's origin (stage config). */
const { appUrl } = readConfig(
  'invite email',
  z
    .object({ [ENV.appUrl]: optional(z.url({ protocol: /^https?$/ })).default('http://localhost:5173') })
    .transform((c) => ({ appUrl: c[ENV.appUrl] })),
);

/**
 * What an invitee needs: who invited them to what, and where to sign up (or
 * accept, with an account). The sign-up link carries the invite's secret code
 * (`invite_code`), which sign-up must present: this email is the only place
 * it travels to the invitee.
 */
export const inviteMail = (invite: Invite, code: string, tenantName: string) => {
  const signUp = new URL('/sign-up', appUrl);
  signUp.searchParams.set('email', invite.email);
  signUp.searchParams.set('invite', invite.inviteId);
  signUp.searchParams.set('invite_code', code);
  return {
    to: invite.email,
    subject: `You are invited to ${tenantName}`,
    text: [
      `You have been invited to join ${tenantName} as ${invite.role}.`,
      '',
      `Sign up with this email address (${invite.email}): ${signUp.toString()}`,
      'If you already have an account, sign in and accept the invitation from your pending invites.',
      '',
      `Invitation ${invite.inviteId}, valid until ${invite.expiresAt}.`,
    ].join('\n'),
  };
};

/**
 * Sends the invite email after the invite is stored. A failed send is logged,
 * not fatal: the invite exists and can be revoked and sent again.
 */
export const sendInviteEmail = async (invite: Invite, code: string, tenantName: string): Promise<boolean> => {
  try {
    return await sendMail(inviteMail(invite, code, tenantName));
  } catch (err) {
    logger.error('Invite email not sent', { inviteId: invite.inviteId, error: err as Error });
    return false;
  }
};
