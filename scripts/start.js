#!/usr/bin/env node
// `npm start`: build the static app, serve dist/ on 127.0.0.1 and print the
// URL that opens the demo. Ctrl-C stops it.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveOnFreePort } from './serve.js';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const vite = join(repo, 'node_modules', '.bin', 'vite');

if (!existsSync(vite)) {
  console.error('offbrowse: vite is not installed here; run `npm install` first.');
  process.exit(1);
}
// Run the bin directly, not through npx, so nothing is left running on failure.
const build = spawnSync(vite, ['build'], { cwd: repo, stdio: 'inherit' });
if (build.error || build.status !== 0) {
  const why = build.error ? build.error.message : build.signal ? `signal ${build.signal}` : `exit code ${build.status}`;
  console.error(`\noffbrowse: the build failed (${why}); nothing to serve.`);
  process.exit(1);
}
const dist = join(repo, 'dist');
if (!existsSync(join(dist, 'index.html'))) {
  console.error(`offbrowse: the build wrote no ${join(dist, 'index.html')}; nothing to serve.`);
  process.exit(1);
}

const wanted = process.env.PORT === undefined || process.env.PORT === '' ? 4173 : Number(process.env.PORT);
if (!Number.isInteger(wanted) || wanted < 0 || wanted > 65535) {
  console.error(`offbrowse: PORT=${process.env.PORT} is not a port number.`);
  process.exit(1);
}
const { url, close } = await serveOnFreePort({ root: dist, port: wanted });
console.log(`\nOffbrowse is running at ${url}?demo`);
console.log('(everything runs in the browser tab; press Ctrl-C to stop the server)');

const stop = () => {
  close().then(() => process.exit(0));
  // A stuck socket must not keep a second Ctrl-C from working.
  setTimeout(() => process.exit(0), 1000).unref();
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
