// The CLI's TypeScript, bundled once into plain JavaScript and kept in
// node_modules/.cache/offbrowse/ under a hash of the sources, so a run (and
// each of its parse threads) starts in milliseconds instead of compiling
// through tsx's loader (about half a second of CPU per thread). Any change to
// src/core or src/cli makes a new bundle. Where esbuild cannot run, the CLI
// runs through tsx as before.
//
// Hashing the sources costs tens of milliseconds a run, so once a bundle is
// found its sources' file status (size, mtime, ctime, inode) is noted in a
// stamp beside it; a run whose sources all stat the same uses the bundle
// without reading them. Writing a file always moves its ctime, which no tool
// can set back, so an edit is never missed; any difference, or a missing
// stamp, falls back to the hash.
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const cache = join(repoRoot, 'node_modules', '.cache', 'offbrowse');

/** The bundle's entry points: the command (src/cli/commands.ts, bundled as main.mjs), and the parse thread it starts (src/cli/pool.ts finds it beside). */
const ENTRIES = { main: 'src/cli/commands.ts', parseWorker: 'src/cli/parseWorker.ts' };

/**
 * Packages left out of the bundle: DuckDB's native module and PostgreSQL's
 * client, which only `--engine` loads. The rest (tldts, PapaParse, fflate) go
 * in, so a start does not resolve them and put their CommonJS through Node's
 * export scanner, in the main thread and again in every parse thread.
 */
const EXTERNAL = ['@duckdb/node-api', 'pg', 'pg-copy-streams'];

/** Besides src/core and src/cli, what the bundle is made from: the packages bundled in (by the lock), this file (how it is bundled) and the kernel's source (scripts/kernel.js makes src/core/sources/structuralWasm.js from it). */
const OTHER_INPUTS = ['package-lock.json', 'bin/bundle.js', 'kernel/structural.ts'];

/** A file's or folder's status as the stamp keeps it; a folder's mtime moves when an entry is added, removed or renamed. */
function status(path) {
  const s = statSync(path, { bigint: true });
  return `${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
}

/** The hash that names the bundle of the sources as they are now, and the status of each input taken before it was read. */
function sourcesHash() {
  const hash = createHash('sha256');
  const seen = [];
  const add = (path) => {
    const rel = relative(repoRoot, path);
    seen.push([rel, status(path)]);
    hash.update(rel).update('\0').update(readFileSync(path)).update('\0');
  };
  const walk = (dir) => {
    seen.push([relative(repoRoot, dir), status(dir)]);
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(ts|js|json)$/.test(name)) add(path);
    }
  };
  for (const dir of ['src/core', 'src/cli']) walk(join(repoRoot, dir));
  for (const file of OTHER_INPUTS) add(join(repoRoot, file));
  return { name: `cli-${hash.digest('hex').slice(0, 16)}`, seen };
}

/** The stamp of this checkout (several may share one node_modules through a symlink). */
const stampFile = () => join(cache, `stamp-${createHash('sha256').update(repoRoot).digest('hex').slice(0, 16)}.json`);

/** The bundle the stamp names, when every input still has the status it noted and the bundle is there; else null. */
function stampedBundle() {
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(stampFile(), 'utf8'));
    for (const [rel, noted] of stamp.seen) if (status(join(repoRoot, rel)) !== noted) return null;
  } catch {
    return null;
  }
  const dir = join(cache, stamp.name);
  return existsSync(join(dir, 'main.mjs')) ? dir : null;
}

/**
 * Notes the inputs' status for the next run. Not when one of them changed in
 * the last two seconds: file times are kept to a clock tick, so an edit right
 * after the status was taken could leave it the same (git's "racy" files).
 * The ctime tells when, as the mtime can be set to any time.
 */
function writeStamp(name, seen) {
  const recent = (BigInt(Date.now()) - 2000n) * 1_000_000n;
  if (seen.some(([, s]) => BigInt(s.split(':')[3]) > recent)) return;
  const partial = `${stampFile()}.${process.pid}.partial`;
  try {
    writeFileSync(partial, JSON.stringify({ name, seen }));
    renameSync(partial, stampFile());
  } catch {
    // Only the next start is slower.
    rmSync(partial, { force: true });
  }
}

/**
 * Makes node_modules/.cache/offbrowse, leaving node_modules' mtime as it was.
 * npm trusts its record of node_modules (node_modules/.package-lock.json) only
 * while no folder in it is newer, so the .cache folder made by a first run
 * after `npm install` would have every later `npx offbrowse` read the whole of
 * node_modules again (0.2-0.5 s of CPU on the machine of docs/benchmarks.md);
 * npm passes over folders whose name starts with a dot, so nothing it records
 * changed.
 */
function makeCache() {
  const modules = join(repoRoot, 'node_modules');
  const { atime, mtime } = statSync(modules);
  const made = mkdirSync(join(modules, '.cache'), { recursive: true }) !== undefined;
  mkdirSync(cache, { recursive: true });
  if (made) utimesSync(modules, atime, mtime);
}

/** The folder of the bundle of the sources as they are now, built if it is not in the cache yet. Throws when esbuild is not at hand. */
async function bundleDir() {
  const stamped = stampedBundle();
  if (stamped !== null) return stamped;
  // The kernel's module is made from its source (kernel/structural.ts) when missing or older.
  const { buildKernel } = await import('../scripts/kernel.js');
  await buildKernel();
  const { name, seen } = sourcesHash();
  const dir = join(cache, name);
  if (existsSync(join(dir, 'main.mjs'))) {
    writeStamp(name, seen);
    return dir;
  }
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
    external: EXTERNAL,
    // tldts's ES module build, not its CommonJS (esbuild's default for Node).
    mainFields: ['module', 'main'],
    write: false,
    logLevel: 'silent',
  });
  // Written into a folder of this process and renamed: two runs at once never read half a bundle.
  const partial = `${dir}.${process.pid}.partial`;
  makeCache();
  mkdirSync(partial, { recursive: true });
  for (const f of result.outputFiles) writeFileSync(join(partial, relative(dir, f.path)), f.text);
  try {
    renameSync(partial, dir);
  } catch (e) {
    // Another run got there first: its bundle is the same.
    if (!existsSync(join(dir, 'main.mjs'))) throw e;
    rmSync(partial, { recursive: true, force: true });
  }
  writeStamp(name, seen);
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
