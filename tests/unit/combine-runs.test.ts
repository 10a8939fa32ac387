import { describe, expect, it } from 'vitest';
import { combineRuns } from '../../src/core/runs/combineRuns';
import { ColumnsBuilder, HOST, SOURCE, TEXT_FIELD_COUNT } from '../../src/core/events/columns';
import { mergeSources, runSource } from '../../src/core/runs/merge';
import { MemoryRunStore, writeEventsRun, writeTrafficRun, type RunRef, type RunStore } from '../../src/core/runs/runStore';

/** A run of `n` events from `start`, a second apart, each with a session and a host of its own. */
async function eventsRun(store: RunStore, tag: string, start: number, n: number): Promise<RunRef> {
  const b = new ColumnsBuilder();
  for (let k = 0; k < n; k++) {
    const i = b.push(start + k * 1000, 0, null, null, k + 1, `u/${tag}/${k}`, `serial:${tag}${k}`);
    for (let f = 0; f < TEXT_FIELD_COUNT; f++) b.setText(i, f, b.code(''));
    b.setText(i, HOST, b.code(`h-${tag}-${k}`));
    b.setText(i, SOURCE, b.code(tag));
  }
  return writeEventsRun(store, b.build());
}

async function all(store: RunStore, runs: readonly RunRef[]): Promise<{ time: number; url: string; session: string }[]> {
  const out: { time: number; url: string; session: string }[] = [];
  await mergeSources(
    runs.map((r) => runSource(store, r)),
    { event: (e) => out.push({ time: e.time, url: e.url, session: e.session }) },
  );
  return out;
}

describe('combining runs', () => {
  it('merges down to the fan-in, keeping every event, its session, and time order; the old runs are deleted', async () => {
    const store = new MemoryRunStore();
    const runs = await Promise.all(Array.from({ length: 9 }, (_, r) => eventsRun(store, `r${r}`, r * 500, 7)));
    const before = await all(store, runs);
    const combined = await combineRuns(store, runs, { fanIn: 2 });
    expect(combined.length).toBeLessThanOrEqual(2);
    expect(store.size).toBe(combined.length);
    expect(combined.reduce((n, r) => n + r.count, 0)).toBe(63);
    const after = await all(store, combined);
    const key = (e: { time: number; url: string }) => `${String(e.time).padStart(12, '0')} ${e.url}`;
    expect(after.map(key).sort()).toEqual(before.map(key).sort());
    expect(after.map((e) => e.session).sort()).toEqual(before.map((e) => e.session).sort());
    for (const r of combined) {
      const times = (await all(store, [r])).map((e) => e.time);
      expect(times).toEqual([...times].sort((a, b) => a - b));
    }
  });

  it('merges TRAFFIC runs the same way', async () => {
    const store = new MemoryRunStore();
    const runs: RunRef[] = [];
    for (let r = 0; r < 5; r++) {
      const count = 4;
      const time = Float64Array.from({ length: count }, (_, k) => r * 10 + k * 3);
      runs.push(
        await writeTrafficRun(store, {
          count,
          time,
          sent: time.map((t) => t + 1),
          received: new Float64Array(count).fill(NaN),
          sessions: [...time].map((t) => `s${t}`),
        }),
      );
    }
    const combined = await combineRuns(store, runs, { fanIn: 3 });
    expect(combined.length).toBeLessThanOrEqual(3);
    const rows: { time: number; session: string; sent: number }[] = [];
    await mergeSources(
      combined.map((r) => runSource(store, r)),
      { event: () => undefined, traffic: (t) => rows.push({ time: t.time, session: t.session, sent: t.sent }) },
    );
    expect(rows).toHaveLength(20);
    for (const r of rows) expect([r.session, r.sent]).toEqual([`s${r.time}`, r.time + 1]);
  });

  it('leaves the runs as they were, and nothing of its own, when the store fails part-way', async () => {
    const store = new MemoryRunStore();
    const runs = await Promise.all(Array.from({ length: 6 }, (_, r) => eventsRun(store, `r${r}`, r * 500, 5)));
    let creates = 0;
    const failing: RunStore = {
      create: async (kind) => {
        if (++creates === 3) throw new Error('disk full');
        return store.create(kind);
      },
      blocks: (run) => store.blocks(run),
      delete: (run) => store.delete(run),
    };
    await expect(combineRuns(failing, runs, { fanIn: 2, deleteOld: false })).rejects.toThrow('disk full');
    // With deleteOld false the runs given are untouched, and the two runs made before the failure are gone.
    expect(store.size).toBe(6);
    expect((await all(store, runs)).length).toBe(30);
  });

  it('rewrites as few events as it can: the smallest runs, only as many as bring the count down to the fan-in', async () => {
    const store = new MemoryRunStore();
    const sizes = [10, 3, 8, 2, 6];
    const runs = await Promise.all(sizes.map((n, r) => eventsRun(store, `r${r}`, r * 100, n)));
    const combined = await combineRuns(store, runs, { fanIn: 3 });
    // 2, 3 and 6 merged into one of 11; the runs of 10 and 8 are not read or written again.
    expect(combined.map((r) => r.count)).toEqual([10, 8, 11]);
    expect(combined.slice(0, 2)).toEqual([runs[0], runs[2]]);
    expect(store.size).toBe(3);
    expect((await all(store, combined)).length).toBe(29);
  });

  it('does nothing with no more runs than the fan-in', async () => {
    const store = new MemoryRunStore();
    const runs = await Promise.all([0, 1].map((r) => eventsRun(store, `r${r}`, 0, 3)));
    expect(await combineRuns(store, runs, { fanIn: 2 })).toEqual(runs);
  });
});
