/**
 * The detector's case folders (tests/cases/<name>/, see tests/cases/README.md),
 * each run through the CLI's core path and compared with its expected alerts.
 * Every case also runs with its inputs in reverse order and fed in small
 * chunks: the contract says order cannot change an answer, and chunking is a
 * transport detail that must not either.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parsePool } from '../src/cli/pool';
import { defaultSettings } from '../src/core/settings/settings';
import { caseNames, CASES_DIR, inputs, loadCase, reverseLines, type Case } from './helpers/cases';
import {
  canonicalRecords,
  evidenceInTimeOrder,
  inContractOrder,
  runCore,
  stable,
  type CoreRun,
  type FeedOptions,
  type InputFile,
} from './helpers/run-core';

/** The descriptions docs/detection.md gives per variation ("The four variations"). */
const DESCRIPTIONS: Readonly<Record<string, string>> = {
  website_access: 'An uncommon network communication between a non-browser process and a website UI.',
  website_upload: 'Uncommon data upload to a website through a Non browser process.',
  text_share_download: 'Uncommon content download from a known text share website through a Non browser process.',
  text_share_upload: 'Uncommon data upload to a known text share website through a Non-browser process.',
};

async function run(c: Case, files: InputFile[], opts: FeedOptions = {}): Promise<CoreRun> {
  return runCore(files, c.settings, opts);
}

function checkRecords(c: Case, got: CoreRun, withSource: boolean): void {
  const actual = got.records.map((r) => stable(r, withSource));
  expect(inContractOrder(actual), 'records ordered by first_seen, then host').toBe(true);
  for (const r of actual) expect(evidenceInTimeOrder(r), 'evidence in time order').toBe(true);
  for (const r of got.records) {
    expect(r.description).toBe(DESCRIPTIONS[r.variation]);
    expect(r.settings).toEqual(c.settings);
    expect(r.evidence.length).toBe(Math.min(r.count, 100));
  }
  expect(canonicalRecords(actual)).toEqual(canonicalRecords(c.expected.map((r) => stable(r, withSource))));
}

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

function checkSummary(c: Case, got: CoreRun, withExamples: boolean): void {
  const s = c.summary;
  if (s === null) return;
  const counts = got.counts;
  const numbers = ['lines', 'blank', 'headers', 'browser', 'nonBrowser', 'unknown'] as const;
  for (const k of numbers) if (s[k] !== undefined) expect(counts[k], k).toBe(s[k]);
  if (s.skipped !== undefined) expect(counts.skipped).toEqual(s.skipped);
  if (s.other !== undefined) expect(counts.other).toEqual(s.other);
  if (s.endpoint !== undefined) expect(counts.endpoint).toEqual(s.endpoint);
  if (s.stitch !== undefined) expect(got.stitch).toEqual(s.stitch);
  if (s.activeFrom !== undefined) expect(iso(got.detection.activeFrom)).toBe(s.activeFrom);
  if (s.dataStart !== undefined) expect(iso(got.detection.dataStart)).toBe(s.dataStart);
  for (const [name, want] of Object.entries(s.files ?? {})) {
    const report = got.files.find((f) => f.name === name);
    expect(report, `file report for ${name}`).toBeDefined();
    if (report === undefined) continue;
    if (want.format !== undefined) expect(report.format).toBe(want.format);
    if (want.gzip !== undefined) expect(report.gzip).toBe(want.gzip);
    if (want.error === null) expect(report.error).toBeNull();
    else if (want.error !== undefined) expect(report.error).toContain(want.error);
  }
  if (withExamples && s.examples !== undefined) {
    const key = (e: { file: string; line: number; reason: string }): string =>
      `${e.file}:${String(e.line).padStart(8, '0')}:${e.reason}`;
    const got2 = counts.examples.map((e) => ({ reason: e.reason, file: e.file, line: e.line }));
    expect([...got2].sort((a, b) => key(a).localeCompare(key(b)))).toEqual(
      [...s.examples].sort((a, b) => key(a).localeCompare(key(b))),
    );
  }
}

/** Three worker threads and this thread (which parses a part whenever the workers have two each in hand), started once for every case. */
const threads = parsePool(defaultSettings(), 4);
afterAll(() => threads.close());

const names = caseNames();

describe('detector cases', () => {
  it('finds the case folders', () => {
    expect(names.length).toBeGreaterThan(0);
    for (const n of names) {
      for (const f of ['expected.jsonl', 'README.md']) expect(existsSync(join(CASES_DIR, n, f)), `${n}/${f}`).toBe(true);
      expect(
        readdirSync(join(CASES_DIR, n)).some((f) => f.startsWith('input')),
        `${n} has input files`,
      ).toBe(true);
    }
  });

  for (const name of names) {
    describe(name, () => {
      const c = loadCase(name);

      it('gives the expected alerts and counts', async () => {
        const got = await run(c, inputs(c));
        checkRecords(c, got, true);
        checkSummary(c, got, true);
      });

      it('gives the same alerts with files and lines in reverse order', async () => {
        const got = await run(c, inputs(c, reverseLines).reverse());
        checkRecords(c, got, false);
        checkSummary(c, got, false);
      });

      for (const chunkSize of [1, 7]) {
        it(`gives the same result fed in ${chunkSize}-byte chunks`, async () => {
          const got = await run(c, inputs(c), { chunkSize });
          checkRecords(c, got, true);
          checkSummary(c, got, true);
        });
      }

      it("gives the same result with the core's default gunzip in 13-byte chunks", async () => {
        const got = await run(c, inputs(c), { chunkSize: 13, inflate: 'core-default' });
        checkRecords(c, got, true);
        checkSummary(c, got, true);
      });

      it('gives the same result with runs of 3 events (and 5 TRAFFIC rows) merged 2 at a time before the detection', async () => {
        const got = await run(c, inputs(c), {
          chunkSize: 4099,
          segmentBytes: { first: 100, rest: 300 },
          runLimits: { events: 3, traffic: 5, fanIn: 2 },
        });
        checkRecords(c, got, true);
        checkSummary(c, got, true);
      });

      it('gives the same result cut into parts of about 300 bytes and parsed by 3 worker threads and this one', async () => {
        const got = await run(c, inputs(c), { pool: threads, chunkSize: 4099, segmentBytes: { first: 100, rest: 300 } });
        checkRecords(c, got, true);
        checkSummary(c, got, true);
      });
    });
  }
});
