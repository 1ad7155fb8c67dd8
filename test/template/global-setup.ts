import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { packageServiceOffline } from './package-service';
import { PACKAGED_STAGES, type PackagedStage } from './packaged-stages';

const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Packages the service once per run for every stage in PACKAGED_STAGES, side
 * by side (each in its own copy of the service, see package-service.ts), and
 * hands the template paths to the tests. Everything lives in one temporary
 * directory that is removed at the end, and on failure.
 */
export default async function setup(project: TestProject) {
  const workDir = await mkdtemp(path.join(os.tmpdir(), 'tenantgate-template-'));
  const removeWorkDir = () => rm(workDir, { recursive: true, force: true });
  const started = Date.now();
  // allSettled: a failed stage must not leave the other packaging running after we return.
  const results = await Promise.allSettled(
    PACKAGED_STAGES.map((stage) => packageServiceOffline({ projectRoot: PROJECT_ROOT, workDir, stage })),
  );
  const failures = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failures.length > 0) {
    await removeWorkDir();
    throw new Error(failures.map((failure) => String(failure.reason)).join('\n\n'));
  }
  const templatePaths = Object.fromEntries(
    results.flatMap((result) => (result.status === 'fulfilled' ? [[result.value.stage, result.value.templatePath]] : [])),
  ) as Record<PackagedStage, string>;
  console.log(`[template] packaged ${PACKAGED_STAGES.join(', ')} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  project.provide('templatePaths', templatePaths);
  return removeWorkDir;
}
