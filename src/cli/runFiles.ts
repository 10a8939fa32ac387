import { closeSync, openSync, readSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunTally, type RunRef, type RunStore, type RunWriter } from '../core/runs/runStore';
import { makeTempFolder, removeOnExit } from './cleanup';

/**
 * Sorted runs in temporary files, one file per run: each block written as
 * its length (4 bytes) and its bytes. The folder is removed by `close`, and
 * on exit or Ctrl-C if the program stops first; one a killed run left is
 * removed by the next run's store (`makeTempFolder`).
 */
export class TempRunStore implements RunStore {
  readonly dir: string;
  private next = 0;
  private readonly release: () => void;

  constructor(parent = tmpdir()) {
    this.dir = makeTempFolder(parent, 'offbrowse-runs-');
    this.release = removeOnExit(this.dir);
  }

  async create(kind: RunRef['kind']): Promise<RunWriter> {
    const path = join(this.dir, `${kind}-${this.next++}.run`);
    const fd = openSync(path, 'w');
    const tally = new RunTally();
    let open = true;
    const len = Buffer.alloc(4);
    return {
      async add(block) {
        tally.add(block);
        len.writeUInt32LE(block.byteLength, 0);
        writeSync(fd, len);
        writeSync(fd, block);
      },
      async finish() {
        closeSync(fd);
        open = false;
        return tally.ref(path, kind);
      },
      async abort() {
        if (open) closeSync(fd);
        open = false;
        unlinkSync(path);
      },
    };
  }

  async *blocks(run: RunRef): AsyncIterable<Uint8Array> {
    const fd = openSync(run.id, 'r');
    try {
      const len = Buffer.alloc(4);
      let at = 0;
      for (;;) {
        if (readSync(fd, len, 0, 4, at) < 4) return;
        const size = len.readUInt32LE(0);
        // A fresh buffer per block: decoded columns are views into it.
        const block = new Uint8Array(size);
        if (readSync(fd, block, 0, size, at + 4) < size) throw new Error(`temporary run ${run.id} is truncated`);
        at += 4 + size;
        yield block;
      }
    } finally {
      closeSync(fd);
    }
  }

  async delete(run: RunRef): Promise<void> {
    rmSync(run.id, { force: true });
  }

  close(): void {
    rmSync(this.dir, { recursive: true, force: true });
    this.release();
  }
}
