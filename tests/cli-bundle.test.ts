// bin/bundle.js runs the CLI from a bundle cached under a hash of src/core and
// src/cli, and skips the hash when a stamp of the sources' file status says
// nothing changed. Here, on a copy of the repository's CLI with its own
// node_modules/.cache: the stamp is used when nothing changed, and an edit that
// keeps the file's size and mtime (as `cp -p` or a restored backup would) is
// still run, never the stale bundle.
import { execFile } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('..', import.meta.url));
const run = promisify(execFile);
let copy: string;

/** `offbrowse --help` from the copy: its first line. */
async function usageLine(): Promise<string> {
  const { stdout } = await run(process.execPath, [join(copy, 'bin', 'offbrowse.js'), '--help']);
  return stdout.split('\n')[0];
}

const cacheDir = (): string => join(copy, 'node_modules', '.cache', 'offbrowse');
const stampPath = (): string => {
  const stamps = readdirSync(cacheDir()).filter((f) => /^stamp-.*\.json$/.test(f));
  expect(stamps).toHaveLength(1);
  return join(cacheDir(), stamps[0]);
};
const bundles = (): string[] => readdirSync(cacheDir()).filter((f) => f.startsWith('cli-'));

beforeAll(async () => {
  copy = mkdtempSync(join(tmpdir(), 'offbrowse-bundle-'));
  // File times kept, so the kernel's module stays newer than its source (scripts/kernel.js does not rebuild it).
  for (const part of ['bin', 'src/core', 'src/cli', 'kernel', 'scripts/kernel.js', 'package.json', 'package-lock.json'])
    cpSync(join(repo, part), join(copy, part), { recursive: true, preserveTimestamps: true });
  // The packages, linked one by one: the cache goes into this copy's own node_modules.
  mkdirSync(join(copy, 'node_modules'));
  for (const name of readdirSync(join(repo, 'node_modules'))) {
    if (name === '.cache') continue;
    const from = join(repo, 'node_modules', name);
    let target = from;
    try {
      target = resolve(join(repo, 'node_modules'), readlinkSync(from));
    } catch {
      // Not a link: link to the folder itself.
    }
    symlinkSync(target, join(copy, 'node_modules', name));
  }
  // A whole second, which utimes can set back exactly (below).
  const commands = join(copy, 'src', 'cli', 'commands.ts');
  const second = Math.floor(statSync(commands).mtimeMs / 1000);
  utimesSync(commands, second, second);
  // The stamp is not written for sources changed in the last two seconds (bin/bundle.js), and the copy is new.
  await new Promise((r) => setTimeout(r, 2100));
}, 30_000);

afterAll(() => rmSync(copy, { recursive: true, force: true }));

describe('the CLI bundle', () => {
  it('is stamped once built, and a start with nothing changed takes the stamp without hashing again', async () => {
    expect(await usageLine()).toBe('usage:');
    expect(bundles()).toHaveLength(1);
    const stamp = stampPath();
    const before = statSync(stamp, { bigint: true }).mtimeNs;
    expect(await usageLine()).toBe('usage:');
    // A run that hashed would have written the stamp again.
    expect(statSync(stamp, { bigint: true }).mtimeNs).toBe(before);
  }, 120_000);

  it('runs an edit of src/cli that keeps the size and the mtime of the file, not the stale bundle', async () => {
    const file = join(copy, 'src', 'cli', 'commands.ts');
    const { mtimeMs, size } = statSync(file, { bigint: false });
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('const USAGE = `usage:');
    writeFileSync(file, text.replace('const USAGE = `usage:', 'const USAGE = `USAGE:'));
    utimesSync(file, mtimeMs / 1000, mtimeMs / 1000);
    expect(statSync(file).size).toBe(size);
    expect(statSync(file, { bigint: true }).mtimeNs).toBe(BigInt(mtimeMs) * 1_000_000n);
    expect(await usageLine()).toBe('USAGE:');
    expect(bundles()).toHaveLength(2);
  }, 120_000);

  it('runs a file added to src/core into the bundle', async () => {
    // A module nothing imports changes the hash (every .ts of src/core is in it) but not the output: a third bundle.
    writeFileSync(join(copy, 'src', 'core', 'util', 'unused.ts'), 'export const unused = 1;\n');
    expect(await usageLine()).toBe('USAGE:');
    expect(bundles()).toHaveLength(3);
  }, 120_000);
});
