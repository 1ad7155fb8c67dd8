import { spawn } from 'node:child_process';
import { cp, mkdir, symlink } from 'node:fs/promises';
import path from 'node:path';

/**
 * `serverless package` for one stage, offline and in a private copy of the
 * service. The copy matters: serverless-esbuild builds into `<service>/.esbuild`
 * and deletes that folder when it is done, which would pull the bundles from
 * under a running `npm start` (serverless-offline serves from there) and make
 * two stages packaged at once delete each other's builds.
 */

/** Never copied: installed or generated, big, or another process's state. */
const NOT_COPIED = /^(node_modules|\.git|\.local|\.cognito|\.serverless.*|\.esbuild.*|\.build|coverage|dist)$/;
const PACKAGE_TIMEOUT_MS = 150_000;
/**
 * Serverless prints this block once a command has failed. After a failed
 * esbuild build it then never exits (the build context stays open), so the
 * error is taken as final and the process ended shortly after.
 */
const SERVERLESS_ERROR_REPORT = /^Environment: .+, node /m;
const EXIT_GRACE_AFTER_ERROR_MS = 3_000;

export interface PackagedService {
  stage: string;
  templatePath: string;
}

export async function packageServiceOffline(options: { projectRoot: string; workDir: string; stage: string }): Promise<PackagedService> {
  const { workDir, stage } = options;
  const projectRoot = path.resolve(options.projectRoot);
  const serviceDir = path.join(workDir, `service-${stage}`);
  const artifactDir = path.join(workDir, `package-${stage}`);
  const home = path.join(workDir, `home-${stage}`);
  await cp(projectRoot, serviceDir, {
    recursive: true,
    filter: (source) => path.dirname(source) !== projectRoot || !NOT_COPIED.test(path.basename(source)),
  });
  await symlink(path.join(projectRoot, 'node_modules'), path.join(serviceDir, 'node_modules'), 'dir');
  await mkdir(home);
  const serverless = path.join(projectRoot, 'node_modules/osls/bin/serverless.js');
  await run(process.execPath, [serverless, 'package', '--stage', stage, '--package', artifactDir], {
    cwd: serviceDir,
    env: offlineEnvironment(home),
  });
  return { stage, templatePath: path.join(artifactDir, 'cloudformation-template-update-stack.json') };
}

/**
 * No way to AWS: no credentials, profiles or instance metadata, and an empty
 * HOME (no ~/.aws, no ~/.serverlessrc). No TG_* either, so the template
 * depends on the repository alone and not on a developer's shell.
 */
function offlineEnvironment(home: string): NodeJS.ProcessEnv {
  const kept = Object.entries(process.env).filter(([name]) => !/^(AWS_|TG_|SLS_|SERVERLESS_)/.test(name));
  return {
    ...Object.fromEntries(kept),
    HOME: home,
    USERPROFILE: home,
    AWS_EC2_METADATA_DISABLED: 'true',
    SLS_TELEMETRY_DISABLED: '1',
    SLS_NOTIFICATIONS_MODE: 'off',
  };
}

function run(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let failed = false;
    let timer = setTimeout(() => child.kill('SIGKILL'), PACKAGE_TIMEOUT_MS);
    const collect = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-20_000);
      if (!failed && SERVERLESS_ERROR_REPORT.test(output)) {
        failed = true;
        clearTimeout(timer);
        timer = setTimeout(() => child.kill('SIGKILL'), EXIT_GRACE_AFTER_ERROR_MS);
      }
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0 && !failed) resolve();
      else
        reject(
          new Error(`${path.basename(args[0] ?? command)} ${args.slice(1).join(' ')} failed (${signal ?? `exit ${code}`}):\n${output}`),
        );
    });
  });
}
