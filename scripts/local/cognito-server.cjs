// Runs cognito-local (patched, see patches/) with its verification and other
// emails written to the local mailbox instead of the console: one JSON file a
// message, { to, subject, text, at }, so people and tests can read codes.
// Started by scripts/local/start.ts with cwd = the state dir (cognito-local
// reads .cognito/config.json from there), PORT, HOST, TG_MAIL_DIR and TG_TRIGGER_LOG set.
const fs = require('node:fs');
const path = require('node:path');
const { randomUUID } = require('node:crypto');
const { ConsoleMessageSender } = require('cognito-local/lib/services/messageDelivery/consoleMessageSender');
const { createDefaultServer } = require('cognito-local/lib/server');
const pino = require('pino');

const mailDir = process.env.TG_MAIL_DIR;
if (!mailDir) throw new Error('TG_MAIL_DIR is required');
fs.mkdirSync(mailDir, { recursive: true });

const attr = (user, name) => (user.Attributes ?? []).find((a) => a.Name === name)?.Value;

ConsoleMessageSender.prototype.sendEmail = async (_ctx, user, destination, message) => {
  const code = message.__code;
  const at = new Date().toISOString();
  const mail = {
    to: destination || attr(user, 'email'),
    subject: message.emailSubject || 'Your verification code',
    text: message.emailMessage || `Your verification code is ${code}`,
    at,
  };
  const file = path.join(mailDir, `${at.replace(/[:.]/g, '-')}-${randomUUID().slice(0, 8)}.json`);
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(mail, null, 2));
  fs.renameSync(`${file}.tmp`, file);
};

// Every event the pool hands a trigger, one JSON line each: what a trigger was sent is
// otherwise invisible (ours ignore ClientMetadata, for one), and tests check it here.
const triggerLog = process.env.TG_TRIGGER_LOG;
if (triggerLog) {
  const { LambdaService } = require('cognito-local/lib/services/lambda');
  const createLambdaEvent = LambdaService.prototype.createLambdaEvent;
  LambdaService.prototype.createLambdaEvent = function (event) {
    const sent = createLambdaEvent.call(this, event);
    const entry = {
      at: new Date().toISOString(),
      triggerSource: sent.triggerSource,
      clientId: sent.callerContext?.clientId ?? null,
      userName: sent.userName,
      clientMetadata: sent.request?.clientMetadata ?? null,
    };
    fs.appendFileSync(triggerLog, `${JSON.stringify(entry)}\n`);
    return sent;
  };
}

const logger = pino({ level: process.env.DEBUG ? 'debug' : 'warn' });
createDefaultServer(logger)
  .then((server) => server.start())
  .then((server) => {
    const address = server.address();
    process.stdout.write(`cognito-local listening on ${address.address}:${address.port}\n`);
    const stop = () => server.close(() => process.exit(0));
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  })
  .catch((err) => {
    process.stderr.write(`cognito-local failed to start: ${err?.message ?? err}\n`);
    process.exit(1);
  });
