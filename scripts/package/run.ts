// `npm run package [-- --stage <name>]`: the CloudFormation template and the
// function bundles, built offline (no AWS credentials), into .serverless/.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { packageServiceOffline } from './package-service';

const main = async () => {
  const { values } = parseArgs({ options: { stage: { type: 'string', default: process.env.STAGE ?? 'dev' } } });
  const root = path.resolve(__dirname, '../..');
  const { mkdtemp, rm, cp } = await import('node:fs/promises');
  const os = await import('node:os');
  const workDir = await mkdtemp(path.join(os.tmpdir(), 'tenantgate-package-'));
  try {
    const stage = values.stage ?? 'dev';
    const { templatePath } = await packageServiceOffline({ projectRoot: root, workDir, stage });
    const out = path.join(root, '.serverless');
    await rm(out, { recursive: true, force: true });
    await cp(path.dirname(templatePath), out, { recursive: true });
    console.log(`Packaged stage ${stage}: ${path.relative(process.cwd(), path.join(out, 'cloudformation-template-update-stack.json'))}`);
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
};

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
