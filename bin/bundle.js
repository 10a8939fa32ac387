// The CLI's TypeScript, bundled once into plain JavaScript and kept in
// node_modules/.cache/offbrowse/ under a hash of the sources, so a run (and
// each of its parse threads) starts in milliseconds instead of compiling
// through tsx's loader (about half a second of CPU per thread). Any change to
// src/core or src/cli makes a new bundle. Where esbuild cannot run, callers
// fall back to tsx.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

function sourcesHash() {
  const hash = createHash('sha256');
  const walk = (dir) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(ts|js|json)$/.test(name)) hash.update(relative(repoRoot, path)).update('\0').update(readFileSync(path)).update('\0');
    }
  };
  for (const dir of ['src/core', 'src/cli']) walk(join(repoRoot, dir));
  hash.update(readFileSync(join(repoRoot, 'package-lock.json')));
  return hash.digest('hex').slice(0, 16);
}

// Parse threads share the process and its environment: they take the hash their process made.
function processHash() {
  const [pid, hash] = (process.env.OFFBROWSE_SOURCES_HASH ?? '').split(':');
  if (pid === String(process.pid) && hash) return hash;
  const made = sourcesHash();
  process.env.OFFBROWSE_SOURCES_HASH = `${process.pid}:${made}`;
  return made;
}

let hashed = null;

/**
 * The path of the bundle of `entry` (a path under the repository, such as
 * `src/cli/main.ts`), built now if it is not in the cache yet. Throws when
 * esbuild is not at hand.
 */
export async function bundled(entry) {
  // Code in the bundle finds the repository through this, not through its own (cached) location.
  process.env.OFFBROWSE_ROOT ??= repoRoot;
  hashed ??= processHash();
  const name = entry.replace(/[^a-z0-9]+/gi, '-');
  const cache = join(repoRoot, 'node_modules', '.cache', 'offbrowse');
  const dir = join(cache, `${name}-${hashed}`);
  const out = join(dir, 'index.mjs');
  if (existsSync(out)) return out;
  const { build } = await import('esbuild');
  // Dynamic imports stay separate chunks, so what a command does not use (DuckDB, PostgreSQL) is not loaded.
  const result = await build({
    entryPoints: { index: join(repoRoot, entry) },
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
    if (!existsSync(out)) throw e;
    rmSync(partial, { recursive: true, force: true });
  }
  return out;
}

/** Imports the bundle of `entry`, or, where esbuild cannot run, the TypeScript itself through tsx. */
export async function load(entry) {
  let path;
  try {
    path = await bundled(entry);
  } catch {
    const { register } = await import('tsx/esm/api');
    register();
    return import(pathToFileURL(join(repoRoot, entry)).href);
  }
  return import(pathToFileURL(path).href);
}
