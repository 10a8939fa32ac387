// The cache of repeated field values of the PAN-OS byte path (src/core/sources/panosBytes.ts cachedAscii),
// the shipped code, against the way it worked before (comparing the kept string's characters with the bytes,
// written out below), on the User-Agents (field 46) of the first 40 MB of a syslog file, by CPU time per
// User-Agent, six alternating passes.
// Run: npx tsx scripts/bench-field-cache.ts [FILE] (default bench-data/panos-800mb.log, from npm run bench)
import { readFileSync } from 'node:fs';
import { cachedAscii } from '../src/core/sources/panosBytes';

const buf = readFileSync(process.argv[2] ?? 'bench-data/panos-800mb.log').subarray(0, 40e6);
const bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/** Where each line's User-Agent (field 46, unquoted) starts and ends, in pairs. */
const offs: number[] = [];
let lineStart = 0;
for (let i = 0; i < bytes.length; i++) {
  if (bytes[i] !== 10) continue;
  let field = 0;
  let quoted = false;
  let start = lineStart;
  for (let j = lineStart; j < i; j++) {
    const c = bytes[j];
    if (c === 34) quoted = !quoted;
    else if (c === 44 && !quoted) {
      field++;
      if (field === 46) start = j + 1;
      if (field === 47) {
        const q = bytes[start] === 34 ? 1 : 0;
        offs.push(start + q, j - q);
        break;
      }
    }
  }
  lineStart = i + 1;
}
console.log(`${offs.length / 2} User-Agents`);

/** The cache as it was: a string per slot, hashed on every third byte of a long value, compared character by character. */
const SLOTS = 4096;
const slots = new Array<string>(SLOTS).fill('');
const decoder = new TextDecoder();
function asciiBefore(b: Uint8Array, s: number, e: number): string {
  if (e - s > 32) return decoder.decode(b.subarray(s, e));
  let r = '';
  for (let i = s; i < e; i++) r += String.fromCharCode(b[i]);
  return r;
}
function before(b: Uint8Array, s: number, e: number): string {
  const len = e - s;
  if (len === 0) return '';
  let h = len;
  const step = len > 32 ? len >>> 5 : 1;
  for (let i = s; i < e; i += step) h = Math.imul(h ^ b[i], 0x01000193);
  h = Math.imul(h ^ b[e - 1], 0x01000193);
  const slot = (h ^ (h >>> 15)) & (SLOTS - 1);
  const x = slots[slot];
  if (x.length === len) {
    let same = true;
    for (let i = 0; i < len; i++)
      if (x.charCodeAt(i) !== b[s + i]) {
        same = false;
        break;
      }
    if (same) return x;
  }
  return (slots[slot] = asciiBefore(b, s, e));
}

const now = (b: Uint8Array, s: number, e: number): string => cachedAscii(b, view, s, e);
for (let r = 0; r < 6; r++)
  for (const [name, f] of [
    ['before: string characters', before],
    ['now (panosBytes.ts): kept bytes, DataView', now],
  ] as const) {
    const t0 = process.cpuUsage();
    let chars = 0;
    for (let k = 0; k < offs.length; k += 2) chars += f(bytes, offs[k], offs[k + 1]).length;
    const t = process.cpuUsage(t0);
    console.log(`${name}: ${((t.user * 1000) / (offs.length / 2)).toFixed(0)} ns of CPU per User-Agent (${chars} characters)`);
  }
