#!/usr/bin/env node
// `npm test`: `npm run check` and `npm run lint` side by side, then vitest,
// then the browser tests (scripts/browser-tests.js), stopping at the first
// step that fails. Check and lint are each one single-threaded tool after
// another and share nothing, so on two cores the pair takes about as long as
// the longer alone. Their output is held and printed whole as each ends, so
// their lines do not interleave.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/**
 * Runs a command from the repository; resolves with its exit code (1 when it could not start or was
 * killed). `hold`: its output is printed once it ends; `quiet`: no closing line (the browser tests'
 * summary stays the last output, which CI reads).
 */
function run(command, args, { hold = false, quiet = false } = {}) {
  return new Promise((done) => {
    const started = Date.now();
    const out = [];
    let settled = false;
    const end = (code) => {
      if (settled) return;
      settled = true;
      if (hold) process.stdout.write(Buffer.concat(out));
      if (!quiet)
        console.log(
          `test: ${args.join(' ')} ${code === 0 ? 'passed' : 'failed'} in ${Math.round((Date.now() - started) / 1000)} s`,
        );
      done(code);
    };
    const child = spawn(command, args, { cwd: repo, stdio: hold ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
    if (hold) {
      child.stdout.on('data', (d) => out.push(d));
      child.stderr.on('data', (d) => out.push(d));
    }
    child.on('error', (e) => {
      out.push(Buffer.from(`${command} ${args.join(' ')} could not start: ${e.message}\n`));
      end(1);
    });
    child.on('close', (code) => end(code ?? 1));
  });
}

const first = await Promise.all([run(npm, ['run', 'check'], { hold: true }), run(npm, ['run', 'lint'], { hold: true })]);
if (first.some((code) => code !== 0)) process.exit(1);
const unit = await run(npm, ['run', 'test:unit']);
if (unit !== 0) process.exit(unit);
process.exitCode = await run(npm, ['run', 'test:browser'], { quiet: true });
