import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** The repository's folder. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The script that runs the peer (bench/peer/peer.ts, `node SCRIPT [--json]
 * FILES...`) as the benches time it: bundled by esbuild into bench-data/peer/ first, as bin/bundle.js bundles
 * the CLI, so the peer starts as fast as `offbrowse detect` does and neither
 * side's time includes compiling TypeScript. Packages stay outside the bundle
 * and resolve from the repository's node_modules, as the CLI's do.
 */
export async function buildPeer(): Promise<string> {
  const outdir = join(repoRoot, 'bench-data', 'peer');
  mkdirSync(outdir, { recursive: true });
  await build({
    entryPoints: { peer: join(repoRoot, 'bench/peer/peer.ts') },
    bundle: true,
    // As the CLI's bundle: what a run does not use (PostgreSQL) stays in a chunk it never loads.
    splitting: true,
    outdir,
    outExtension: { '.js': '.mjs' },
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'silent',
  });
  return join(outdir, 'peer.mjs');
}
