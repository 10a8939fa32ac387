// The parse workers' reading of PAN-OS parts with the WebAssembly kernel (src/core/sources/structural.ts,
// panosBytes.ts) against the same parts decoded and read as text (the kernel turned off, as where it
// cannot run), in one process, by the CPU time of the process, best of --rounds. The parts are 2 MiB
// of whole lines, as src/core/ingest/segmenter.ts cuts them; the decoder is the CLI's (src/cli/decode.ts).
// Run: npx tsx scripts/bench-kernel.ts [--format syslog|csv] [--days 3] [--rounds 5] [FILE]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { nodeDecoder } from '../src/cli/decode';
import { generate } from '../src/core/generate/index';
import { SegmentParser, type SegmentJob } from '../src/core/ingest/segment';
import { defaultSettings } from '../src/core/settings/settings';
import { setKernelUsed } from '../src/core/sources/structural';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    format: { type: 'string', default: 'syslog' },
    days: { type: 'string', default: '3' },
    rounds: { type: 'string', default: '5' },
  },
});

function input(): Buffer {
  if (positionals[0] !== undefined) return readFileSync(positionals[0]);
  const format = values.format === 'csv' ? 'csv' : 'syslog';
  const dataset = generate({ days: Number(values.days), hosts: 200, rate: 200, seed: 1, format, start: '2026-09-01' });
  const parts: string[] = [];
  for (const file of dataset.files) for (const chunk of file.chunks()) parts.push(chunk);
  return Buffer.from(parts.join(''));
}

const bytes = input();
const settings = defaultSettings();
// The first part is read without a context, as the coordinator does: it tells the format (and a CSV header).
const firstEnd = bytes.indexOf(10, 64 * 1024) + 1;
const first = new SegmentParser(settings, nodeDecoder()).parse({
  file: 'f',
  source: 's',
  bytes: new Uint8Array(bytes.subarray(0, firstEnd)),
  first: true,
  context: null,
  keepPending: false,
});
const context = first.context?.context ?? null;
if (context === null) throw new Error('the first part showed no PAN-OS format');
const parts: Uint8Array[] = [];
for (let start = firstEnd; start < bytes.length;) {
  let end = bytes.lastIndexOf(10, start + (2 << 20));
  if (end < start) end = bytes.length - 1;
  parts.push(new Uint8Array(bytes.subarray(start, end + 1)));
  start = end + 1;
}
const mb = (bytes.length - firstEnd) / 1e6;

function time(kernel: boolean): number {
  setKernelUsed(kernel);
  const parser = new SegmentParser(settings, nodeDecoder());
  let best = Infinity;
  for (let round = 0; round < Number(values.rounds); round++) {
    const before = process.cpuUsage();
    for (const part of parts) {
      const job: SegmentJob = { file: 'f', source: 's', bytes: part, first: false, context, keepPending: false };
      parser.parse(job);
    }
    const used = process.cpuUsage(before);
    best = Math.min(best, (used.user + used.system) / 1000);
  }
  return best;
}

console.log(`${mb.toFixed(1)} MB of ${context.format} in ${parts.length} parts`);
for (let pass = 0; pass < 2; pass++) {
  const text = time(false);
  const kernel = time(true);
  console.log(
    `decoded and read as text: ${(mb / (text / 1000)).toFixed(0)} MB/s; bytes with the kernel: ${(mb / (kernel / 1000)).toFixed(0)} MB/s (${(text / kernel).toFixed(2)}x)`,
  );
}
