import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The repository's folder. The launcher (bin/bundle.js) says where it is: the
 * CLI runs from a bundle in node_modules/.cache, so its own location does not
 * tell. Run from the TypeScript (tests), it is two folders up from here.
 */
export const repoRoot = process.env.OFFBROWSE_ROOT ?? resolve(dirname(fileURLToPath(import.meta.url)), '../..');
