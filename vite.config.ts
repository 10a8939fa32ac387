import { svelte } from '@sveltejs/vite-plugin-svelte';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { transformWithOxc, type Plugin } from 'vite';
import { defineConfig } from 'vitest/config';
import { buildKernel } from './scripts/kernel.js';

export const SERVICE_WORKER_PLUGIN = 'offbrowse:service-worker';
const SERVICE_WORKER_FILE = 'sw.js';

/** Files under `dir`, as `/`-separated paths relative to it. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => relative(dir, join(d.parentPath, d.name)).split(sep).join('/'));
}

/**
 * Writes sw.js beside index.html once the bundle is final: src/serviceWorker.ts
 * with its types stripped, after the list of every file this build emitted
 * (public/ included) and a version derived from their contents. Any change
 * gives a new sw.js, so browsers install the new build in a new cache, and it
 * drops the old one once it takes over.
 */
function serviceWorker(): Plugin {
  let publicDir: string | null = null;
  let sourcePath = '';
  return {
    name: SERVICE_WORKER_PLUGIN,
    apply: 'build',
    enforce: 'post',
    configResolved(config) {
      sourcePath = join(config.root, 'src', 'serviceWorker.ts');
      publicDir = config.build.copyPublicDir && config.publicDir && existsSync(config.publicDir) ? config.publicDir : null;
    },
    async generateBundle(_options, bundle) {
      const contents = new Map<string, string | Uint8Array>();
      for (const [name, output] of Object.entries(bundle))
        contents.set(name, output.type === 'chunk' ? output.code : output.source);
      if (publicDir !== null) for (const name of filesUnder(publicDir)) contents.set(name, readFileSync(join(publicDir, name)));
      if (!contents.has('index.html')) this.error('no index.html in the bundle to precache');
      if (contents.has(SERVICE_WORKER_FILE)) this.error(`the build already has a ${SERVICE_WORKER_FILE}`);

      const stripped = await transformWithOxc(readFileSync(sourcePath, 'utf8'), sourcePath, { lang: 'ts' });
      // A classic script (module service workers are not everywhere yet): the TypeScript's `export {}` goes.
      const code = stripped.code.replace(/^export\s*\{\s*\};?\s*$/m, '');
      if (/^\s*(import|export)\b/m.test(code))
        this.error('src/serviceWorker.ts must import and export nothing: it is not bundled');

      const names = [...contents.keys()].sort();
      const hash = createHash('sha256').update(code);
      for (const name of names) hash.update(`\0${name}\0`).update(contents.get(name) ?? '');
      const precache = {
        version: hash.digest('hex').slice(0, 20),
        // The page is cached as the folder itself, which every static host serves without a redirect.
        files: names.map((n) => (n === 'index.html' ? './' : n)),
      };
      this.emitFile({
        type: 'asset',
        fileName: SERVICE_WORKER_FILE,
        source: `// Offbrowse's service worker, written by the build from src/serviceWorker.ts (see vite.config.ts).\nconst PRECACHE = ${JSON.stringify(precache, null, 2)};\n${code}`,
      });
    },
  };
}

/** Builds the WebAssembly kernel from its source (scripts/kernel.js) before anything imports it: builds, the single file, vitest. */
function kernel(): Plugin {
  return {
    name: 'offbrowse:kernel',
    async buildStart() {
      await buildKernel();
    },
  };
}

export default defineConfig({
  // Relative asset paths, so dist/ works from any sub-folder of any static host.
  base: './',
  plugins: [kernel(), svelte(), serviceWorker()],
  // The page registers sw.js only where this is true; the single-file build sets it false, which drops that code.
  define: { __OFFBROWSE_SERVICE_WORKER__: 'true' },
  worker: { format: 'es' },
  // The worker is inlined into the page's chunk (src/ui/ingestClient.ts), which takes it past Vite's 500 kB warning.
  build: { target: 'es2022', chunkSizeWarningLimit: 2000 },
  test: {
    include: ['tests/**/*.test.ts'],
    exclude: ['tests/browser/**', 'node_modules/**'],
    // Two files at once, even on two cores (vitest's default is one fewer than the cores: one file at a
    // time there): many files spend most of their time waiting on a CLI child, PostgreSQL or DuckDB, and
    // another file's work fills that wait.
    maxWorkers: 2,
    // Per test, where the test names none: the CI machine is shared, and a slow moment is no failure (speed is for benchmarks).
    testTimeout: 30_000,
  },
});
