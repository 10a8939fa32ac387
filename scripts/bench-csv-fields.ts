// Throughput of the CSV fast path (src/core/sources/csvFields.ts) against PapaParse as the reader before it drove it (src/core/rows.ts, gone since),
// in one process over the same text. Run: npx tsx scripts/bench-csv-fields.ts [--format syslog|csv] [--days 3] [--rate 200] [FILE]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import Papa from 'papaparse';
import { generate } from '../src/core/generate/index';
import { csvField, readCsvFields, scanCsvFields } from '../src/core/sources/csvFields';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    format: { type: 'string', default: 'syslog' },
    days: { type: 'string', default: '3' },
    hosts: { type: 'string', default: '200' },
    rate: { type: 'string', default: '200' },
    rounds: { type: 'string', default: '7' },
  },
});

function input(): string {
  if (positionals[0] !== undefined) return readFileSync(positionals[0], 'utf8');
  const format = values.format === 'csv' ? 'csv' : 'syslog';
  const dataset = generate({
    days: Number(values.days),
    hosts: Number(values.hosts),
    rate: Number(values.rate),
    seed: 1,
    format,
    start: '2026-09-01',
  });
  const parts: string[] = [];
  for (const file of dataset.files) for (const chunk of file.chunks()) parts.push(chunk);
  return parts.join('');
}

/** Whole lines about 1 MiB at a time, without the final line end: what RowReader hands PapaParse. */
function batches(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = text.lastIndexOf('\n', start + (1 << 20));
    if (end < start) end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    out.push(text.slice(start, end));
    start = end + 1;
  }
  // Flat strings of their own, as decoded chunks are.
  return out.map((b) => (' ' + b).slice(1));
}

const text = input();
const parts = batches(text);
const bytes = Buffer.byteLength(text);
const rounds = Number(values.rounds);
const parser = new Papa.Parser({ delimiter: ',', newline: '\n', quoteChar: '"' });

function papa(): number {
  let fields = 0;
  for (const part of parts) {
    const result = parser.parse(part, 0, false) as Papa.ParseResult<string[]>;
    for (const row of result.data) fields += row.length;
  }
  return fields;
}

function eachLine(read: (part: string, start: number, end: number) => number): number {
  let fields = 0;
  for (const part of parts) {
    let start = 0;
    for (;;) {
      const nl = part.indexOf('\n', start);
      const end = nl === -1 ? part.length : nl;
      fields += read(part, start, end);
      if (nl === -1) break;
      start = nl + 1;
    }
  }
  return fields;
}

const out: string[] = new Array<string>(64).fill('');
const bounds = new Int32Array(128);
// The detector reads about 12 of the first 64 columns.
const WANTED = [1, 2, 3, 4, 6, 7, 12, 22, 30, 31, 41, 46, 63];

const runs: [string, () => number][] = [
  ['PapaParse, 1 MiB batches', papa],
  ['readCsvFields, upTo 64', () => eachLine((part, s, e) => readCsvFields(part, s, e, 64, out))],
  [
    'scanCsvFields, upTo 64, 13 values made',
    () =>
      eachLine((part, s, e) => {
        const n = scanCsvFields(part, s, e, 64, bounds);
        for (const i of WANTED) if (i < n) out[i] = csvField(part, bounds, i);
        return n;
      }),
  ],
];

console.log(`input: ${(bytes / 1e6).toFixed(1)} MB, ${parts.length} batches, node ${process.version}`);
// Rounds interleave the readers, so a burst of load on a shared machine does not favour one; each keeps its
// best round, timed by the CPU time of this process (less disturbed by other processes than the wall clock).
const best = runs.map(() => Infinity);
const bestWall = runs.map(() => Infinity);
const fields = runs.map(() => 0);
for (let r = 0; r < rounds; r++) {
  runs.forEach(([, run], i) => {
    const wall = performance.now();
    const cpu = process.cpuUsage();
    fields[i] = run();
    const used = process.cpuUsage(cpu);
    best[i] = Math.min(best[i], (used.user + used.system) / 1000);
    bestWall[i] = Math.min(bestWall[i], performance.now() - wall);
  });
}
const mbps = (ms: number): number => bytes / 1e6 / (ms / 1000);
runs.forEach(([name], i) => {
  // Every reader counts every field of every line; a difference means a line was read differently.
  if (fields[i] !== fields[0]) throw new Error(`${name} counted ${fields[i]} fields, PapaParse ${fields[0]}`);
  console.log(
    `${name.padEnd(40)} ${mbps(best[i]).toFixed(0).padStart(6)} MB/s CPU, ${mbps(bestWall[i]).toFixed(0).padStart(6)} MB/s wall  (best of ${rounds}, ${fields[i]} fields)`,
  );
});
for (let i = 1; i < runs.length; i++) console.log(`${runs[i][0]} / PapaParse: ${(best[0] / best[i]).toFixed(1)}x (CPU time)`);
