import Dexie from 'dexie';
import { RunTally, type RunRef, type RunStore, type RunWriter } from '../core/runs/runStore';
import type { OffbrowseDb } from './schema';

/** Blocks read per request: a few hundred kB each, so a few at a time. */
const PAGE = 4;

export function runId(ref: RunRef): number {
  return Number(ref.id);
}

/** Deletes runs and their blocks; call inside a transaction over `runs` and `blocks`. */
export async function deleteRuns(db: OffbrowseDb, ids: readonly number[]): Promise<void> {
  for (const id of ids) {
    await db.blocks.where('[run+no]').between([id, Dexie.minKey], [id, Dexie.maxKey]).delete();
    await db.runs.delete(id);
  }
}

/**
 * Sorted runs in IndexedDB. Runs written here are pending, owned by one run
 * of the worker (`owner`), until a commit makes them part of the history.
 */
export class DbRunStore implements RunStore {
  constructor(
    private readonly db: OffbrowseDb,
    readonly owner: string,
  ) {}

  async create(kind: RunRef['kind']): Promise<RunWriter> {
    const db = this.db;
    const id = await db.runs.add({
      state: 'pending',
      kind,
      owner: this.owner,
      count: 0,
      minTime: 0,
      maxTime: 0,
      blocks: 0,
      createdAt: Date.now(),
    });
    const tally = new RunTally();
    let no = 0;
    return {
      async add(block) {
        tally.add(block);
        const bytes =
          block.byteOffset === 0 && block.byteLength === block.buffer.byteLength ? block.buffer : block.slice().buffer;
        await db.blocks.add({ run: id, no: no++, bytes: bytes as ArrayBuffer });
      },
      async finish() {
        const ref = tally.ref(String(id), kind);
        await db.runs.update(id, { count: ref.count, minTime: ref.minTime, maxTime: ref.maxTime, blocks: no });
        return ref;
      },
      async abort() {
        await db.transaction('rw', [db.runs, db.blocks], () => deleteRuns(db, [id]));
      },
    };
  }

  async *blocks(run: RunRef): AsyncIterable<Uint8Array> {
    const id = runId(run);
    for (let next = 0; ;) {
      const rows = await this.db.blocks.where('[run+no]').between([id, next], [id, Dexie.maxKey]).limit(PAGE).toArray();
      for (const row of rows) yield new Uint8Array(row.bytes);
      if (rows.length < PAGE) return;
      next = rows[rows.length - 1].no + 1;
    }
  }

  async delete(run: RunRef): Promise<void> {
    await this.db.transaction('rw', [this.db.runs, this.db.blocks], () => deleteRuns(this.db, [runId(run)]));
  }
}
