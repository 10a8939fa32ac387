/**
 * The detector's case folders (tests/cases/<name>/, see tests/cases/README.md),
 * each run through the CLI's core path and compared with its expected alerts.
 * Every case also runs with its inputs in reverse order and fed in small
 * chunks: the contract says order cannot change an answer, and chunking is a
 * transport detail that must not either.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { parsePool } from '../src/cli/pool';
import { defaultSettings } from '../src/core/settings';
import { resolveSettings, type Settings } from '../src/core/settings';
import {
  canonicalRecords, evidenceInTimeOrder, inContractOrder, runCore, stable,
  type CoreRun, type FeedOptions, type InputFile, type StableRecord,
} from './helpers/run-core';

const CASES_DIR = fileURLToPath(new URL('./cases/', import.meta.url));

/** The descriptions DETECTION.md gives per variation. */
const DESCRIPTIONS: Readonly<Record<string, string>> = {
  website_access: 'An uncommon network communication between a non-browser process and a website UI.',
  website_upload: 'Uncommon data upload to a website through a Non browser process.',
  text_share_download: 'Uncommon content download from a known text share website through a Non browser process.',
  text_share_upload: 'Uncommon data upload to a known text share website through a Non-browser process.',
};

interface FileExpectation {
  format?: string | null;
  gzip?: boolean;
  /** null: read without error; a string: the error message contains it. */
  error?: string | null;
}

interface ExpectedSummary {
  lines?: number;
  blank?: number;
  headers?: number;
  browser?: number;
  nonBrowser?: number;
  unknown?: number;
  skipped?: Record<string, number>;
  other?: Record<string, number>;
  activeFrom?: string | null;
  dataStart?: string | null;
  files?: Record<string, FileExpectation>;
  examples?: { reason: string; file: string; line: number }[];
}

interface Case {
  name: string;
  dir: string;
  settings: Settings;
  expected: StableRecord[];
  summary: ExpectedSummary | null;
}

const PLAIN_GZ = /\.gz\.plain$/;

function loadCase(name: string): Case {
  const dir = join(CASES_DIR, name);
  const settingsPath = join(dir, 'settings.json');
  const settings = resolveSettings(existsSync(settingsPath) ? JSON.parse(readFileSync(settingsPath, 'utf8')) : {});
  const expected = readFileSync(join(dir, 'expected.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as StableRecord);
  const summaryPath = join(dir, 'expected-summary.json');
  const summary = existsSync(summaryPath) ? (JSON.parse(readFileSync(summaryPath, 'utf8')) as ExpectedSummary) : null;
  return { name, dir, settings, expected, summary };
}

/** Input files in name order; `X.gz.plain` is committed as text and fed gzipped as `X.gz`. */
function inputs(c: Case, transform: (text: string) => string = identity): InputFile[] {
  return readdirSync(c.dir)
    .filter((f) => f.startsWith('input'))
    .sort()
    .map((f) => {
      const raw = readFileSync(join(c.dir, f));
      if (PLAIN_GZ.test(f)) {
        const text = transform(raw.toString('utf8'));
        return { name: join(c.dir, f.replace(/\.plain$/, '')), bytes: new Uint8Array(gzipSync(text)) };
      }
      const bytes = transform === identity ? raw : Buffer.from(transform(raw.toString('utf8')), 'utf8');
      return { name: join(c.dir, f), bytes: new Uint8Array(bytes) };
    });
}

function identity(t: string): string {
  return t;
}

const TIME = /\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d/;

/**
 * The file's lines in reverse order, keeping the file's line ends and final
 * newline. A leading PAN-OS header row (a first line with no log time that is
 * not a JSON record) stays first. Zeek TSV `#` lines stay where they are and
 * the rows between them are reversed in place: a row needs the `#fields` of
 * its own header block.
 */
function reverseLines(text: string): string {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(eol);
  const finalNewline = lines[lines.length - 1] === '';
  if (finalNewline) lines.pop();
  let out: string[];
  if (lines.some((l) => l.startsWith('#'))) {
    out = [];
    let rows: string[] = [];
    for (const l of lines) {
      if (l.startsWith('#')) {
        out.push(...rows.reverse(), l);
        rows = [];
      } else {
        rows.push(l);
      }
    }
    out.push(...rows.reverse());
  } else {
    const head = lines.length > 0 && !TIME.test(lines[0]) && !lines[0].startsWith('{') ? lines.splice(0, 1) : [];
    out = [...head, ...lines.reverse()];
  }
  return out.join(eol) + (finalNewline ? eol : '');
}

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
    const key = (e: { file: string; line: number; reason: string }): string => `${e.file}:${String(e.line).padStart(8, '0')}:${e.reason}`;
    const got2 = counts.examples.map((e) => ({ reason: e.reason, file: e.file, line: e.line }));
    expect([...got2].sort((a, b) => key(a).localeCompare(key(b)))).toEqual([...s.examples].sort((a, b) => key(a).localeCompare(key(b))));
  }
}

/** Three worker threads, started once for every case. */
const threads = parsePool(defaultSettings(), 3);
afterAll(() => threads.close());

const names = readdirSync(CASES_DIR)
  .filter((n) => statSync(join(CASES_DIR, n)).isDirectory())
  .sort();

describe('detector cases', () => {
  it('finds the case folders', () => {
    expect(names.length).toBeGreaterThan(0);
    for (const n of names) {
      for (const f of ['expected.jsonl', 'README.md']) expect(existsSync(join(CASES_DIR, n, f)), `${n}/${f}`).toBe(true);
      expect(readdirSync(join(CASES_DIR, n)).some((f) => f.startsWith('input')), `${n} has input files`).toBe(true);
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

      it('gives the same result cut into parts of about 300 bytes and parsed by 3 worker threads', async () => {
        const got = await run(c, inputs(c), { pool: threads, chunkSize: 4099, segmentBytes: { first: 100, rest: 300 } });
        checkRecords(c, got, true);
        checkSummary(c, got, true);
      });
    });
  }
});
