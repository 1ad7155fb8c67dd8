import path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '../../..');

/**
 * The src/ the in-process parts import: the repository's, or with
 * TG_BENCH_SRC a scratch copy, to measure a proposed change to src/ without
 * touching it (the copy must sit where it resolves this repository's node_modules).
 */
export const benchSrcRoot = (): string => path.resolve(process.env.TG_BENCH_SRC ?? path.join(REPO_ROOT, 'src'));
