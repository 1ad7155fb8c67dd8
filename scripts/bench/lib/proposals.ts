import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './source-root';
import { benchWorkDir } from './workdir';

/**
 * Changes to src/ that the bench recommends, kept as patches in
 * scripts/bench/proposals/ (apply one with `git apply <file>`). The bench
 * measures each on a scratch copy of src/ beside the repository's own, in the
 * same run, so the effect is shown without touching src/. They apply in the
 * order listed: lazy-aws-clients.patch is made on top of zod-namespace-import.patch.
 */
export const PROPOSALS = {
  authHotPath: 'auth-hot-path.patch',
  zodNamespaceImport: 'zod-namespace-import.patch',
  lazyAwsClients: 'lazy-aws-clients.patch',
} as const;
export type Proposal = keyof typeof PROPOSALS;

export const proposalPath = (p: Proposal): string => path.join('scripts/bench/proposals', PROPOSALS[p]);

/**
 * A copy of the service (src/, package.json, tsconfig.json) with the patches
 * applied and node_modules linked, so it builds and imports like the original.
 * Returns its src/ path, or why a patch no longer applies.
 */
export const sourceWith = (proposals: Proposal[]): { src: string } | { error: string } => {
  const root = fs.mkdtempSync(path.join(benchWorkDir(), `src-${proposals.join('-')}-`));
  fs.cpSync(path.join(REPO_ROOT, 'src'), path.join(root, 'src'), { recursive: true });
  for (const file of ['package.json', 'tsconfig.json']) fs.copyFileSync(path.join(REPO_ROOT, file), path.join(root, file));
  fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(root, 'node_modules'), 'dir');
  for (const p of proposals) {
    const applied = spawnSync('git', ['apply', '--whitespace=nowarn', path.join(REPO_ROOT, proposalPath(p))], {
      cwd: root,
      encoding: 'utf8',
    });
    if (applied.status !== 0) return { error: `${proposalPath(p)} no longer applies to src/: ${applied.stderr.trim()}` };
  }
  return { src: path.join(root, 'src') };
};
