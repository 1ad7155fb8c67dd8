import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * One build for every stage: the app reads its stage (region, API, user pool)
 * from `/config.json` at run time, so nothing stage-specific is compiled in.
 */
export default defineConfig({
  root: here,
  base: '/',
  publicDir: false,
  build: {
    outDir: path.join(here, 'dist'),
    emptyOutDir: true,
    target: 'es2022',
    // Source maps stay out of what a static host serves.
    sourcemap: false,
  },
});
