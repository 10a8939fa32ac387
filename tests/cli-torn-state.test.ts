/**
 * A state file cut at any byte (a copy interrupted, a disk that filled) is
 * refused with one line naming it, never half-read: src/cli/stateFile.ts
 * read in this process, at every cut in the first and last bytes and at
 * cuts drawn from a printed seed in between (OFFBROWSE_TORN_SEED replays).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../src/core/generate/index';
import { CliError } from '../src/cli/errors';
import { openState, stateReadError } from '../src/cli/stateFile';
import { offbrowse } from './helpers/cli';

const SEED = Number(process.env.OFFBROWSE_TORN_SEED ?? Math.floor(Math.random() * 2 ** 31));
console.log(`torn seed=${SEED} (replay: OFFBROWSE_TORN_SEED=${SEED})`);

let dir: string;
let whole: Buffer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'offbrowse-torn-'));
  const log = join(dir, 'a.log');
  writeFileSync(
    log,
    generate({ days: 16, hosts: 40, seed: 3, rate: 1 })
      .files.map((f) => [...f.chunks()].join(''))
      .join(''),
  );
  const state = join(dir, 'whole.jsonl.gz');
  const got = await offbrowse(['detect', '--state', state, log]);
  expect(got.code, got.stderr).toBe(0);
  whole = readFileSync(state);
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Reads the whole state as detect does: header, events, then triage; the error as detect prints it. */
async function read(path: string): Promise<{ events: number } | CliError> {
  try {
    const state = await openState(path);
    let events = 0;
    for await (const block of state.events.blocks) if (block !== null) events++;
    await state.finish();
    return { events };
  } catch (e) {
    const error = stateReadError(path, e) ?? e;
    if (error instanceof CliError) return error;
    throw error;
  }
}

describe('a torn state file', () => {
  it('reads whole when whole', async () => {
    const path = join(dir, 'copy.jsonl.gz');
    writeFileSync(path, whole);
    const got = await read(path);
    expect(got).not.toBeInstanceOf(CliError);
  });

  it('is refused, naming the file, when cut at any byte', async () => {
    let a = SEED >>> 0;
    const next = (): number => {
      a = (Math.imul(a, 1664525) + 1013904223) >>> 0;
      return a / 2 ** 32;
    };
    const cuts = new Set<number>();
    for (let i = 0; i < Math.min(64, whole.length); i++) cuts.add(i);
    for (let i = Math.max(0, whole.length - 64); i < whole.length; i++) cuts.add(i);
    for (let i = 0; i < 200; i++) cuts.add(Math.floor(next() * whole.length));
    const path = join(dir, 'torn.jsonl.gz');
    for (const cut of [...cuts].sort((x, y) => x - y)) {
      writeFileSync(path, whole.subarray(0, cut));
      const got = await read(path);
      expect(got, `seed ${SEED}: cut at byte ${cut} of ${whole.length}`).toBeInstanceOf(CliError);
      const message = (got as CliError).message;
      expect(message, `cut at ${cut}`).toContain(path);
      expect(message, `cut at ${cut}`).not.toContain('\n');
      expect(message, `cut at ${cut}`).toMatch(/cut short|empty|damaged|not an Offbrowse state file/);
    }
    console.log(`torn state: ${cuts.size} cuts of a ${whole.length}-byte state file refused`);
  }, 120_000);
});
