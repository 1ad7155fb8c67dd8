// The local stack's DNS records, for a tester verifying a domain:
// `npm run dns -- txt _tenantgate-challenge.acme.test tenantgate-domain-verification=…`
// writes the zone file of the running local stack (.local/stack.json → dns.zoneFile);
// its DNS server reads the file on every query, so the record answers at once.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { addTxtRecord, normalizeName, readZone, removeTxtRecord } from '../local/dns-zone';

const USAGE = `Usage: npm run dns -- <command> [options]

Commands:
  txt <name> <value>        add a TXT record (a name may hold several values)
  remove <name> [<value>]   remove the name's TXT records, or only that value
  list                      print every TXT record of the zone

Options:
  --state-dir <dir>  the local stack's state directory (default: .local)

The API's domain verification asks this DNS server: to verify acme.test, add the
record the API answered, e.g.
  npm run dns -- txt _tenantgate-challenge.acme.test tenantgate-domain-verification=…`;

class UsageError extends Error {}

const zoneFileOf = (stateDir: string): string => {
  const stackFile = path.join(stateDir, 'stack.json');
  if (!fs.existsSync(stackFile)) {
    throw new Error(`No local stack found (${path.relative(process.cwd(), stackFile)} is missing). Run \`npm start\` first.`);
  }
  const stack = JSON.parse(fs.readFileSync(stackFile, 'utf8')) as { dns?: { zoneFile?: string } };
  if (!stack.dns?.zoneFile) throw new Error('The running local stack has no DNS server; restart it with `npm start`.');
  return stack.dns.zoneFile;
};

const main = (argv: string[]) => {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { 'state-dir': { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } },
  });
  const [command, name, value, ...extra] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return;
  }
  const zoneFile = zoneFileOf(path.resolve(values['state-dir'] ?? process.env.TG_STATE_DIR ?? '.local'));
  if (command === 'txt') {
    if (!name || value === undefined || extra.length > 0)
      throw new UsageError('txt needs a name and one value (quote a value with spaces).');
    addTxtRecord(zoneFile, name, value);
    console.log(`TXT ${normalizeName(name)} "${value}"`);
  } else if (command === 'remove') {
    if (!name || extra.length > 0) throw new UsageError('remove needs a name, and optionally one value.');
    removeTxtRecord(zoneFile, name, value);
    console.log(`removed TXT ${normalizeName(name)}${value === undefined ? '' : ` "${value}"`}`);
  } else if (command === 'list') {
    const zone = readZone(zoneFile);
    for (const [n, vs] of Object.entries(zone.txt)) for (const v of vs) console.log(`TXT ${n} "${v}"`);
  } else {
    throw new UsageError(`Unknown command: ${command}`);
  }
};

try {
  main(process.argv.slice(2));
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err));
  if (err instanceof UsageError) console.error(`\n${USAGE}`);
  process.exit(1);
}
