import fs from 'node:fs';
import path from 'node:path';
import { stateDir } from './stack';

export type LogLine = Record<string, unknown>;

/** Where the stack writes each process's log (scripts/local/stack.ts). */
export const logDir = path.join(stateDir, 'logs');
/** serverless-offline's output: every handler's and trigger's lines land here. */
const apiLog = path.join(logDir, 'api.log');

const sizeOfLogs = () => fs.readdirSync(logDir).reduce((sum, name) => sum + fs.statSync(path.join(logDir, name)).size, 0);

/** The structured lines the functions logged so far. */
export const functionLogLines = (): LogLine[] =>
  fs
    .readFileSync(apiLog, 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as LogLine];
      } catch {
        return [];
      }
    });

/** The lines that match, once there are some: a line reaches the file through a pipe, a moment after the answer. */
export const logLinesWhere = async (match: (line: LogLine) => boolean, timeoutMs = 5000): Promise<LogLine[]> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const lines = functionLogLines().filter(match);
    if (lines.length > 0 || Date.now() > deadline) return lines;
    await new Promise((r) => setTimeout(r, 100));
  }
};

/** Waits until no log grows for `quietMs`: what was logged before is on disk. */
export const logsSettled = async (quietMs = 500, timeoutMs = 10_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  let size = sizeOfLogs();
  for (;;) {
    await new Promise((r) => setTimeout(r, quietMs));
    const now = sizeOfLogs();
    if (now === size || Date.now() > deadline) return;
    size = now;
  }
};
