import type { BuildOptions } from 'esbuild';
import type { ServiceConfig } from './service-config';

/** serverless-esbuild's own options, which it strips before calling esbuild (src/bundle.ts). */
const PLUGIN_ONLY = [
  'concurrency',
  'zipConcurrency',
  'exclude',
  'nativeZip',
  'packager',
  'packagePath',
  'watch',
  'keepOutputDirectory',
  'packagerOptions',
  'installExtraArgs',
  'outputFileExtension',
  'outputBuildFolder',
  'outputWorkFolder',
  'nodeExternals',
  'skipBuild',
  'skipRebuild',
  'skipBuildExcludeFns',
  'stripEntryResolveExtensions',
  'disposeContext',
];

/**
 * esbuild's options as serverless-esbuild derives them from `custom.esbuild`
 * (its `exclude` becomes `external`), plus `external` for an experiment.
 */
export const esbuildOptions = (config: ServiceConfig, external: string[]): BuildOptions => {
  const custom = { ...config.custom.esbuild };
  const exclude = ([] as string[]).concat((custom.exclude as string[] | undefined) ?? []);
  const configuredExternal = ([] as string[]).concat((custom.external as string[] | undefined) ?? []);
  for (const key of PLUGIN_ONLY) delete custom[key];
  return {
    ...(custom as BuildOptions),
    external: [...configuredExternal, ...(exclude.includes('*') ? [] : exclude), ...external],
    metafile: true,
    logLevel: 'silent',
  };
};
