import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The repository's folder. The launcher (bin/bundle.js) says where it is: the
 * CLI runs from a bundle in node_modules/.cache, so its own location does not
 * tell. Run from the TypeScript (tests), it is two folders up from here.
 */
const repoRoot = process.env.OFFBROWSE_ROOT ?? resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * The script a parse thread runs: the bundle's own when the CLI runs from one
 * (bin/bundle.js says which), else the TypeScript through tsx.
 */
export const parseWorkerScript = process.env.OFFBROWSE_BUNDLE
  ? join(process.env.OFFBROWSE_BUNDLE, 'parseWorker.mjs')
  : join(repoRoot, 'bin', 'parse-worker.js');
