import fs from 'node:fs';
import path from 'node:path';
import { mailDir } from './stack';

export type Mail = { to: string; subject: string; text: string; at: string };

const readAll = (): Mail[] =>
  fs.existsSync(mailDir)
    ? fs
        .readdirSync(mailDir)
        .filter((f) => f.endsWith('.json'))
        .map((f) => JSON.parse(fs.readFileSync(path.join(mailDir, f), 'utf8')) as Mail)
    : [];

export const mailsTo = (to: string): Mail[] =>
  readAll()
    .filter((m) => m.to.toLowerCase() === to.toLowerCase())
    .sort((a, b) => a.at.localeCompare(b.at));

/** The newest message to `to` (waits briefly: the emulator writes it while answering). */
export const latestMailTo = async (to: string, timeoutMs = 5000): Promise<Mail> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const mail = mailsTo(to).at(-1);
    if (mail) return mail;
    if (Date.now() > deadline) throw new Error(`No mail to ${to} in ${mailDir}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

/** The newest message to `to` that is not an invite (a verification or reset code). */
export const latestCodeMailTo = async (to: string, timeoutMs = 5000): Promise<Mail> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const mail = mailsTo(to)
      .filter((m) => !m.text.includes('invite_code='))
      .at(-1);
    if (mail) return mail;
    if (Date.now() > deadline) throw new Error(`No code mail to ${to} in ${mailDir}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

export const verificationCode = (mail: Mail): string => {
  const code = /\b(\d{6}|\d{8})\b/.exec(mail.text)?.[1];
  if (!code) throw new Error(`No verification code in: ${mail.text}`);
  return code;
};

/** The invite's secret code, from the sign-up link of the newest invite email to `to` (as the invitee would follow it). */
export const latestInviteCodeTo = async (to: string, timeoutMs = 5000): Promise<string> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const link = mailsTo(to)
      .map((m) => /https?:\/\/\S*invite_code=\S+/.exec(m.text)?.[0])
      .filter((l) => l !== undefined)
      .at(-1);
    const code = link ? new URL(link).searchParams.get('invite_code') : null;
    if (code) return code;
    if (Date.now() > deadline) throw new Error(`No invite email to ${to} in ${mailDir}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};
