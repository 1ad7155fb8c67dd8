import path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '../../..');

/** The repository's src/, which every part measures as it is. */
export const SRC_ROOT = path.join(REPO_ROOT, 'src');
