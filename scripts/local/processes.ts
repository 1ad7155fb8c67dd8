import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';

export type Managed = { name: string; child: ChildProcess; exited: Promise<void> };

/**
 * Starts a child in its own process group so that stopping it also stops
 * whatever it started (Java under DynamoDB Local, esbuild under offline).
 */
export const startProcess = (
  name: string,
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; logFile?: string; echo?: boolean },
): Managed => {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const log = options.logFile ? fs.createWriteStream(options.logFile, { flags: 'a' }) : undefined;
  const forward = (chunk: Buffer) => {
    log?.write(chunk);
    if (options.echo) {
      for (const line of chunk.toString().split('\n')) if (line.trim()) process.stdout.write(`[${name}] ${line}\n`);
    }
  };
  child.stdout?.on('data', forward);
  child.stderr?.on('data', forward);
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      log?.end();
      resolve();
    });
    child.once('error', () => resolve());
  });
  return { name, child, exited };
};

const signalGroup = (m: Managed, signal: NodeJS.Signals, evenIfExited = false) => {
  if (m.child.pid === undefined) return;
  if (!evenIfExited && m.child.exitCode !== null) return;
  try {
    process.kill(-m.child.pid, signal);
  } catch {
    // already gone
  }
};

/** SIGTERM to each process group, then SIGKILL to whatever is left after the grace period. */
export const stopProcesses = async (processes: Managed[], graceMs = 5000): Promise<void> => {
  for (const m of processes) signalGroup(m, 'SIGTERM');
  const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), graceMs).unref());
  const all = Promise.all(processes.map((m) => m.exited)).then(() => 'done' as const);
  if ((await Promise.race([all, timeout])) === 'timeout') {
    for (const m of processes) signalGroup(m, 'SIGKILL');
    await Promise.race([all, new Promise((r) => setTimeout(r, 2000).unref())]);
  }
  // Grandchildren that outlived their parent still belong to its group.
  for (const m of processes) signalGroup(m, 'SIGKILL', true);
};
