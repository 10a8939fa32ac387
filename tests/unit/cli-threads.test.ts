// Without --threads, files small enough together are parsed on the main thread
// alone (no worker thread to start); anything larger, or whose size is not
// known beforehand, gets one thread a core (src/cli/pool.ts).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fileInputs } from '../../src/cli/inputs';
import { defaultThreads, threadsFor } from '../../src/cli/pool';

const dir = mkdtempSync(join(tmpdir(), 'offbrowse-threads-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, bytes: number): string {
  const path = join(dir, name);
  writeFileSync(path, Buffer.alloc(bytes, 0x61));
  return path;
}

describe('threadsFor', () => {
  // The machines the tests run on have two cores or more, or the two answers below could not differ.
  it('needs more than one core to mean anything', () => expect(defaultThreads()).toBeGreaterThan(1));

  it('parses small files on one thread', () => {
    expect(threadsFor(fileInputs([file('a.log', 1000), file('b.log', 100 << 10)]))).toBe(1);
  });

  it('gives one thread a core once the files together pass 256 KiB', () => {
    expect(threadsFor(fileInputs([file('c.log', 200 << 10), file('d.log', 100 << 10)]))).toBe(defaultThreads());
    expect(threadsFor(fileInputs([file('e.log', 300 << 10)]))).toBe(defaultThreads());
  });

  it('gives one thread a core to what cannot be sized: a missing file, a folder', () => {
    expect(threadsFor(fileInputs([file('f.log', 10), join(dir, 'missing.log')]))).toBe(defaultThreads());
    expect(threadsFor(fileInputs([dir]))).toBe(defaultThreads());
  });
});
