import fs from 'node:fs';
import path from 'node:path';

/**
 * Finds secrets in what the local stack logged (its state dir's logs/): a
 * token, a password, a verification, reset or invite code, or the text of a
 * mail. The codes and mail texts are the ones the stack itself sent (its
 * mail/ folder), so the scan knows exactly what to look for. The integration
 * run ends with it (test/integration/logs/log-hygiene.test.ts).
 */

export type Mail = { to: string; subject: string; text: string; at: string };
export type LeakKind = 'token' | 'password' | 'code' | 'mail text';
/** Where a secret showed up; `what` names it masked, so the report does not spread it further. */
export type Leak = { file: string; line: number; kind: LeakKind; what: string };
export type Secrets = { passwords: readonly string[]; codes: readonly string[]; mailTexts: readonly string[] };

/** A JWT: three base64url segments, the header's JSON (`{"`) encoding to `eyJ`; an unsigned one has an empty third. */
const JWT = /eyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*/;
/** An Authorization header's credentials (not `Bearer error="invalid_token"`, which is ours to send). */
const BEARER = /\bbearer\s+[A-Za-z0-9._~+/-]{20,}/i;
/** A password field with a value: `"password":"…"`, `Password: '…'`, `newPassword=…` in a query. */
const PASSWORD_FIELD = /\b\w*password["']?\s*[:=]\s*["'][^"']+["']|[?&]\w*password=[^&\s"']+/i;
/** Our invite email's sign-up link carries the invite's code. */
const INVITE_CODE_PARAM = /[?&]invite_code=([^&\s"']+)/g;
/** Cognito's messages: "Your verification code is {####}", "… temporary password is {####}", and the like. */
const CODE_IS = /\b(?:code|password) is\s+(\S+?)[.,]?(?=\s|$)/gi;
/** A numeric code of any other message. */
const DIGIT_CODE = /(?<![A-Za-z0-9])\d{6,8}(?![A-Za-z0-9])/g;
/** A mail line shorter than this (a greeting) says nothing of its own. */
const MIN_MAIL_LINE = 24;

const normalize = (text: string) => text.replace(/\s+/g, ' ').trim();

/** The codes and texts of the mails the stack sent, to look for in its logs. */
export const secretsOfMail = (mails: readonly Mail[]): Omit<Secrets, 'passwords'> => {
  const codes = new Set<string>();
  const texts = new Set<string>();
  for (const { text } of mails) {
    for (const [, code] of text.matchAll(INVITE_CODE_PARAM)) if (code) codes.add(decodeURIComponent(code));
    for (const [, code] of text.matchAll(CODE_IS)) if (code) codes.add(code);
    if (!text.includes('invite_code=')) for (const [code] of text.matchAll(DIGIT_CODE)) codes.add(code);
    texts.add(normalize(text));
    for (const line of text.split('\n')) if (line.trim().length >= MIN_MAIL_LINE) texts.add(normalize(line));
  }
  return { codes: [...codes], mailTexts: [...texts] };
};

/** A log line as written, plus the strings of its JSON decoded (a mail text's newlines are `\n` there). */
const readable = (line: string): string => {
  if (!line.startsWith('{')) return line;
  const strings: string[] = [];
  const collect = (value: unknown): void => {
    if (typeof value === 'string') strings.push(value);
    else if (value && typeof value === 'object') for (const v of Object.values(value)) collect(v);
  };
  try {
    collect(JSON.parse(line));
  } catch {
    return line;
  }
  return `${line}\n${normalize(strings.join('\n'))}`;
};

const mask = (secret: string) => `${secret.slice(0, 4)}… (${secret.length} chars)`;

/**
 * A secret is found as a whole word, so a 6-digit code is not "found" inside
 * a longer number or id: words of base64url characters (an invite code) and
 * of letters and digits (a numeric code) are both indexed.
 */
const wordsOf = (line: string): string[] => [...(line.match(/[A-Za-z0-9_-]+/g) ?? []), ...(line.match(/[A-Za-z0-9]+/g) ?? [])];

/** Every secret in one log file's text. */
export const findLeaks = (file: string, content: string, secrets: Secrets): Leak[] => {
  const leaks: Leak[] = [];
  const firstLineOfWord = new Map<string, number>();
  const lines = content.split('\n');
  lines.forEach((raw, index) => {
    const line = index + 1;
    const text = readable(raw);
    const jwt = JWT.exec(text)?.[0];
    if (jwt) leaks.push({ file, line, kind: 'token', what: `a JWT ${mask(jwt)}` });
    const bearer = BEARER.exec(text)?.[0];
    if (bearer) leaks.push({ file, line, kind: 'token', what: `bearer credentials ${mask(bearer)}` });
    const field = PASSWORD_FIELD.exec(text)?.[0];
    if (field) leaks.push({ file, line, kind: 'password', what: `a password field ${mask(field)}` });
    for (const password of secrets.passwords)
      if (text.includes(password)) leaks.push({ file, line, kind: 'password', what: mask(password) });
    for (const mailText of secrets.mailTexts) {
      if (text.includes(mailText)) leaks.push({ file, line, kind: 'mail text', what: `"${mailText.slice(0, 24)}…"` });
    }
    for (const word of wordsOf(text)) if (!firstLineOfWord.has(word)) firstLineOfWord.set(word, line);
  });
  const lineWithText = (code: string) => {
    const index = lines.findIndex((l) => l.includes(code));
    return index < 0 ? undefined : index + 1;
  };
  for (const code of secrets.codes) {
    // A code with characters outside the indexed words (a temporary password) is looked for as text.
    const line = /^[A-Za-z0-9_-]+$/.test(code) ? firstLineOfWord.get(code) : lineWithText(code);
    if (line !== undefined) leaks.push({ file, line, kind: 'code', what: mask(code) });
  }
  return leaks;
};

const readDir = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir).map((name) => path.join(dir, name)) : []);

/** The mails a local stack's state dir holds (mail/, one JSON file a message). */
export const readMailbox = (stateDir: string): Mail[] =>
  readDir(path.join(stateDir, 'mail'))
    .filter((file) => file.endsWith('.json'))
    .map((file) => JSON.parse(fs.readFileSync(file, 'utf8')) as Mail);

/** Every log file of a local stack's state dir (logs/), with its text. */
export const readLogs = (stateDir: string): { file: string; content: string }[] =>
  readDir(path.join(stateDir, 'logs'))
    .filter((file) => fs.statSync(file).isFile())
    .map((file) => ({ file: path.basename(file), content: fs.readFileSync(file, 'utf8') }));

/** Scans every log of a local stack's state dir for the passwords given and the codes and texts of its mail. */
export const scanStateDir = (stateDir: string, passwords: readonly string[]): Leak[] => {
  const secrets = { passwords, ...secretsOfMail(readMailbox(stateDir)) };
  return readLogs(stateDir).flatMap(({ file, content }) => findLeaks(file, content, secrets));
};
