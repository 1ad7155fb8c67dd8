import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

type LockEntry = { version?: string; optionalDependencies?: Record<string, string> };
const root = path.resolve(__dirname, '../../..');
const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };

/** Where npm would place `dep` when `from` depends on it: nested first, then each parent folder up to the root. */
const resolves = (from: string, dep: string): boolean => {
  for (let dir = from; ; dir = dir.slice(0, Math.max(0, dir.lastIndexOf('/node_modules/')))) {
    if (lock.packages[`${dir ? `${dir}/` : ''}node_modules/${dep}`]) return true;
    if (!dir) return false;
  }
};

describe('package-lock.json', () => {
  it('records every optional platform package, so `npm ci` installs on any machine', () => {
    const missing = Object.entries(lock.packages).flatMap(([from, entry]) =>
      Object.keys(entry.optionalDependencies ?? {})
        .filter((dep) => !resolves(from, dep))
        .map((dep) => `${from || '(root)'} → ${dep}`),
    );
    expect(missing).toEqual([]);
  });
});
