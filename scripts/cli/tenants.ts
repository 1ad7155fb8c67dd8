// Operator CLI: `npm run tenants -- <command> [options]`. Works against the
// local stack (default) or a deployed stage (--stage <name>, AWS credentials
// from the usual AWS environment, the region as the AWS CLI picks it).
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { describeRegion } from './region';
import { type Target, useTarget } from './target';

const USAGE = `Usage: npm run tenants -- <command> [options]

Commands:
  create --name <name> --owner <email>                 create a tenant and its owner's invite (emailed)
  list                                                 list every tenant
  invite --tenant <id> --email <email> --role <role>   invite someone into a tenant (emailed)
  remove-member --tenant <id> --user <userId>          remove a member (never the last owner)

Options:
  --json             print JSON
  --stage <name>     target a deployed stage instead of the local stack
  --region <region>  AWS region of the deployed stage (default: AWS_REGION, AWS_DEFAULT_REGION,
                     the AWS profile's region, then serverless.yml's provider.region)
  --state-dir <dir>  the local stack's state directory (default: .local)`;

class UsageError extends Error {}

const main = async (argv: string[]) => {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      owner: { type: 'string' },
      tenant: { type: 'string' },
      email: { type: 'string' },
      role: { type: 'string' },
      user: { type: 'string' },
      json: { type: 'boolean', default: false },
      stage: { type: 'string' },
      region: { type: 'string' },
      'state-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return;
  }
  if (values.stage === 'local') throw new UsageError('The local stack is the default target: leave out --stage.');
  const target: Target = values.stage
    ? { kind: 'stage', stage: values.stage, regionFlag: values.region }
    : { kind: 'local', stackFile: path.resolve(values['state-dir'] ?? process.env.TG_STATE_DIR ?? '.local', 'stack.json') };

  if (!['create', 'list', 'invite', 'remove-member'].includes(command)) throw new UsageError(`Unknown command: ${command}`);
  const { region } = await useTarget(target);
  // On stderr, before the command runs: the operator sees where it goes, and --json stdout stays parseable.
  if (target.kind === 'stage') console.error(describeRegion(region));
  // Loaded only now: the shared config reads the environment set by useTarget.
  const { createTenantCommand } = await import('./commands/create-tenant');
  const { inviteCommand, listTenantsCommand, removeMemberCommand } = await import('./commands/operator-commands');
  const actorId = `operator:${os.userInfo().username}`;
  const { json } = values;
  if (command === 'create') await createTenantCommand({ name: values.name, owner: values.owner, json, actorId });
  if (command === 'list') await listTenantsCommand({ json });
  if (command === 'invite') await inviteCommand({ tenant: values.tenant, email: values.email, role: values.role, json, actorId });
  if (command === 'remove-member') await removeMemberCommand({ tenant: values.tenant, user: values.user, json, actorId });
};

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof UsageError || (err instanceof Error && err.name === 'CliInputError')) {
    console.error(`${err.message}\n\n${USAGE}`);
    process.exit(2);
  }
  console.error(`Failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
