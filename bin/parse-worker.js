// A parse worker thread of the CLI run from its TypeScript (tests, or where
// esbuild cannot run): src/cli/parseWorker.ts through tsx. A bundled CLI
// starts the bundle's own parseWorker.mjs instead (bin/bundle.js).
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/parseWorker.ts');
