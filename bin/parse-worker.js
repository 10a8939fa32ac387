// A parse worker thread of the CLI: runs src/cli/parseWorker.ts through tsx, as bin/offbrowse.js runs the CLI.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/parseWorker.ts');
