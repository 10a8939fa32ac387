import Dexie from 'dexie';
import { RunTally, type RunRef, type RunStore, type RunWriter } from '../core/runs/runStore';
import type { RunRow } from './rows';
import type { OffbrowseDb } from './schema';

/** Blocks read per request: a few hundred kB each, so a few at a time. */
const PAGE = 4;
/**
 * Blocks written per transaction. A transaction costs about 3 ms in Chromium
 * whatever it holds: 320 blocks of 200 kB took 1.1 s one per transaction,
 * 0.45 s sixteen per transaction, and no less in bigger groups, which only hold
 * more memory. A run of the map (ingest/runBuilder.ts RUN_EVENTS) is 16
 * blocks, so it is written in one transaction with its row.
 */
const GROUP = 16;

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
 * A run's blocks are written GROUP at a time, its row with the first group:
 * a run cut off part-way is pending, and deleted as any pending run of a tab
 * that went away (src/worker/dbStore.ts dropLeftovers).
 */
export class DbRunStore implements RunStore {
  constructor(
    private readonly db: OffbrowseDb,
    readonly owner: string,
  ) {}

  async create(kind: RunRef['kind']): Promise<RunWriter> {
    const db = this.db;
    const owner = this.owner;
    const tally = new RunTally();
    /** The run's key, once its first group is written. */
    let id: number | null = null;
    /** Blocks written so far, and those held for the next group. */
    let no = 0;
    let held: ArrayBuffer[] = [];
    /** Writes the held blocks in one transaction, with the run's row (added with its first group, its tally with its last). */
    const write = (last: boolean): Promise<void> =>
      db.transaction('rw', [db.runs, db.blocks], async () => {
        const group = held;
        held = [];
        const tallied = last ? { count: tally.count, minTime: tally.minTime, maxTime: tally.maxTime } : {};
        const blocks = no + group.length;
        if (id === null) {
          const row: RunRow = { state: 'pending', kind, owner, count: 0, minTime: 0, maxTime: 0, blocks, createdAt: Date.now() };
          id = await db.runs.add({ ...row, ...tallied });
        } else {
          await db.runs.update(id, { ...tallied, blocks });
        }
        const run = id;
        await db.blocks.bulkAdd(group.map((bytes, k) => ({ run, no: no + k, bytes })));
        no = blocks;
      });
    return {
      async add(block) {
        tally.add(block);
        if (held.length === GROUP) await write(false);
        // Kept until written: the block's own buffer when it has one, else a copy.
        held.push(
          block.byteOffset === 0 && block.byteLength === block.buffer.byteLength
            ? (block.buffer as ArrayBuffer)
            : block.slice().buffer,
        );
      },
      async finish() {
        await write(true);
        return tally.ref(String(id), kind);
      },
      async abort() {
        held = [];
        const run = id;
        if (run !== null) await db.transaction('rw', [db.runs, db.blocks], () => deleteRuns(db, [run]));
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
