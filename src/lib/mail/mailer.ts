import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import * as z from 'zod';
import { ENV, runsOnLocalStack } from '../env-names';
import { logger } from '../logger';
import { optional, readConfig } from '../read-config';

export type Mail = { to: string; subject: string; text: string };

/**
 * Sends mail through SES v2 on AWS (from the stage's verified `mailFrom`
 * identity) and writes it to the local mailbox on the local stack, one JSON
 * file a message: { to, subject, text, at }.
 */
const mailConfig = readConfig(
  'mail',
  z
    .object({
      [ENV.localMailDir]: optional(z.string().min(1)),
      [ENV.mailFrom]: optional(z.email()),
    })
    .transform((c) => ({ localMailDir: c[ENV.localMailDir], mailFrom: c[ENV.mailFrom] })),
);

let ses: SESv2Client | undefined;

const writeLocal = (dir: string, mail: Mail) => {
  const at = new Date().toISOString();
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${at.replace(/[:.]/g, '-')}-${randomUUID().slice(0, 8)}.json`);
  fs.writeFileSync(`${file}.tmp`, JSON.stringify({ ...mail, at }, null, 2));
  fs.renameSync(`${file}.tmp`, file);
};

/** Returns whether the mail went out; a stage with no mail identity configured sends nothing. */
export const sendMail = async (mail: Mail): Promise<boolean> => {
  const localDir = mailConfig.localMailDir;
  if (localDir && runsOnLocalStack(process.env)) {
    writeLocal(localDir, mail);
    return true;
  }
  const from = mailConfig.mailFrom;
  if (!from) {
    logger.warn('No mail identity configured (mailFrom); mail not sent', { subject: mail.subject });
    return false;
  }
  // Loaded on first use: only a deployed stage with a mail identity sends mail, and the client costs cold-start time.
  const { SESv2Client, SendEmailCommand } = await import('@aws-sdk/client-sesv2');
  ses ??= new SESv2Client({});
  await ses.send(
    new SendEmailCommand({
      FromEmailAddress: from,
      Destination: { ToAddresses: [mail.to] },
      Content: { Simple: { Subject: { Data: mail.subject }, Body: { Text: { Data: mail.text } } } },
    }),
  );
  return true;
};
