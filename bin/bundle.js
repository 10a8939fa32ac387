// The CLI's TypeScript, bundled once into plain JavaScript and kept in
// node_modules/.cache/offbrowse/ under a hash of the sources, so a run (and
// each of its parse threads) starts in milliseconds instead of compiling
// through tsx's loader (about half a second of CPU per thread). Any change to
// src/core or src/cli makes a new bundle. Where esbuild cannot run, the CLI
// runs through tsx as before.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The bundle's entry points: the command (src/cli/commands.ts, bundled as main.mjs), and the parse thread it starts (src/cli/pool.ts finds it beside). */
const ENTRIES = { main: 'src/cli/commands.ts', parseWorker: 'src/cli/parseWorker.ts' };

function sourcesHash() {
  const hash = createHash('sha256');
  const walk = (dir) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(ts|js|json)$/.test(name))
        hash.update(relative(repoRoot, path)).update('\0').update(readFileSync(path)).update('\0');
    }
  };
  for (const dir of ['src/core', 'src/cli']) walk(join(repoRoot, dir));
  hash.update(readFileSync(join(repoRoot, 'package-lock.json')));
  return hash.digest('hex').slice(0, 16);
}

/** The folder of the bundle of the sources as they are now, built if it is not in the cache yet. Throws when esbuild is not at hand. */
async function bundleDir() {
  // The kernel's module is made from its source (kernel/structural.ts) when missing or older.
  const { buildKernel } = await import('../scripts/kernel.js');
  await buildKernel();
  const cache = join(repoRoot, 'node_modules', '.cache', 'offbrowse');
  const name = `cli-${sourcesHash()}`;
  const dir = join(cache, name);
  if (existsSync(join(dir, 'main.mjs'))) return dir;
  const { build } = await import('esbuild');
  // Dynamic imports stay separate chunks, so what a command does not use (DuckDB, PostgreSQL) is not loaded.
  const result = await build({
    entryPoints: Object.fromEntries(Object.entries(ENTRIES).map(([out, src]) => [out, join(repoRoot, src)])),
    bundle: true,
    splitting: true,
    outdir: dir,
    outExtension: { '.js': '.mjs' },
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    write: false,
    logLevel: 'silent',
  });
  // Written into a folder of this process and renamed: two runs at once never read half a bundle.
  const partial = `${dir}.${process.pid}.partial`;
  mkdirSync(partial, { recursive: true });
  for (const f of result.outputFiles) writeFileSync(join(partial, relative(dir, f.path)), f.text);
  try {
    renameSync(partial, dir);
  } catch (e) {
    // Another run got there first: its bundle is the same.
    if (!existsSync(join(dir, 'main.mjs'))) throw e;
    rmSync(partial, { recursive: true, force: true });
  }
  // Bundles of the sources as they were before are of no more use once nothing runs them. Only those an hour
  // old go: a run still going loads chunks and starts parse threads from its bundle, and another checkout
  // sharing this node_modules (a git worktree) may be running its own.
  for (const old of readdirSync(cache)) {
    if (!old.startsWith('cli-') || old === name || old.endsWith('.partial')) continue;
    const path = join(cache, old);
    try {
      if (statSync(path).mtimeMs < Date.now() - 3_600_000) rmSync(path, { recursive: true, force: true });
    } catch {
      // Another run removed it first.
    }
  }
  return dir;
}

/**
 * The CLI's main module: from the bundle, or, where esbuild cannot run, the
 * TypeScript itself through tsx. The code in the bundle learns the
 * repository's folder, and the bundle's, from OFFBROWSE_ROOT and
 * OFFBROWSE_BUNDLE (src/cli/paths.ts), as its own location does not tell.
 */
export async function loadCli() {
  process.env.OFFBROWSE_ROOT = repoRoot;
  let dir;
  try {
    dir = await bundleDir();
  } catch {
    delete process.env.OFFBROWSE_BUNDLE;
    const { register } = await import('tsx/esm/api');
    register();
    return import(pathToFileURL(join(repoRoot, ENTRIES.main)).href);
  }
  process.env.OFFBROWSE_BUNDLE = dir;
  return import(pathToFileURL(join(dir, 'main.mjs')).href);
}
