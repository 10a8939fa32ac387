// A parse worker thread of the CLI: src/cli/parseWorker.ts, bundled as bin/offbrowse.js bundles the CLI.
import { load } from './bundle.js';

await load('src/cli/parseWorker.ts');
