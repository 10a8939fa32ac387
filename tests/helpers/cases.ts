/**
 * Loading of the detector's case folders (tests/cases/<name>/, see
 * tests/cases/README.md), shared by the case runner and the SQL engines' tests.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { resolveSettings, type Settings } from '../../src/core/settings/settings';
import type { InputFile, StableRecord } from './run-core';
import type { StitchCounts } from '../../src/core/runs/stitchJoin';
import type { Counts } from '../../src/core/sources/counts';

export const CASES_DIR = fileURLToPath(new URL('../cases/', import.meta.url));

export interface FileExpectation {
  format?: string | null;
  gzip?: boolean;
  /** null: read without error; a string: the error message contains it. */
  error?: string | null;
}

export interface ExpectedSummary {
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
  /** Endpoint records by kind (counts.endpoint), compared whole. */
  endpoint?: Counts['endpoint'];
  /** What stitching did (src/core/runs/stitchJoin.ts StitchCounts), compared whole; null: no endpoint records. */
  stitch?: StitchCounts | null;
  examples?: { reason: string; file: string; line: number }[];
}

export interface Case {
  name: string;
  dir: string;
  settings: Settings;
  expected: StableRecord[];
  summary: ExpectedSummary | null;
}

const PLAIN_GZ = /\.gz\.plain$/;
const BINARY = /\.evtx$/;

export function loadCase(name: string): Case {
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

/** Input files in name order; `X.gz.plain` is committed as text and fed gzipped as `X.gz`; `.evtx` files are never transformed. */
export function inputs(c: Case, transform: (text: string) => string = identity): InputFile[] {
  return readdirSync(c.dir)
    .filter((f) => f.startsWith('input'))
    .sort()
    .map((f) => {
      const raw = readFileSync(join(c.dir, f));
      if (PLAIN_GZ.test(f)) {
        const text = transform(raw.toString('utf8'));
        return { name: join(c.dir, f.replace(/\.plain$/, '')), bytes: new Uint8Array(gzipSync(text)) };
      }
      // An EVTX file is binary: it has no lines to transform, so it is fed as it is.
      const bytes = transform === identity || BINARY.test(f) ? raw : Buffer.from(transform(raw.toString('utf8')), 'utf8');
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
export function reverseLines(text: string): string {
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

/** The case folders, in name order. */
export function caseNames(): string[] {
  return readdirSync(CASES_DIR)
    .filter((n) => statSync(join(CASES_DIR, n)).isDirectory())
    .sort();
}
