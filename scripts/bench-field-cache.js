// The cache of repeated field values of the PAN-OS byte path (src/core/sources/panosBytes.ts cachedAscii):
// comparing a kept value's bytes four at a time (DataView, as it does now) against comparing the kept
// string's characters with the bytes (as it did before), on the User-Agents (field 46) of the first 40 MB of
// a syslog file, by CPU time per User-Agent, six alternating passes. Both ways are written out here.
// Run: node scripts/bench-field-cache.js [FILE] (default bench-data/panos-800mb.log, from npm run bench)
import { readFileSync } from 'node:fs';
const buf = readFileSync(process.argv[2] ?? 'bench-data/panos-800mb.log').subarray(0, 40e6);
const bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
// UA fields: field 46 of syslog lines (counting commas, ignoring quotes inside? UA quoted)
const offs = [];
let ls = 0;
for (let i = 0; i < bytes.length; i++)
  if (bytes[i] === 10) {
    // line
    let f = 0,
      q = false,
      s = ls;
    for (let j = ls; j < i; j++) {
      const c = bytes[j];
      if (c === 34) q = !q;
      else if (c === 44 && !q) {
        f++;
        if (f === 46) s = j + 1;
        if (f === 47) {
          let a = s,
            b = j;
          if (bytes[a] === 34) {
            a++;
            b--;
          }
          offs.push(a, b);
          break;
        }
      }
    }
    ls = i + 1;
  }
console.log(`${offs.length / 2} User-Agents`);
const dec = new TextDecoder();
function ascii(b, s, e) {
  if (e - s > 32) return dec.decode(b.subarray(s, e));
  let r = '';
  for (let i = s; i < e; i++) r += String.fromCharCode(b[i]);
  return r;
}
const SLOTS = 4096;
const c1 = new Array(SLOTS).fill('');
function old(b, s, e) {
  const len = e - s;
  if (len === 0) return '';
  let h = len;
  const step = len > 32 ? len >>> 5 : 1;
  for (let i = s; i < e; i += step) h = Math.imul(h ^ b[i], 0x01000193);
  h = Math.imul(h ^ b[e - 1], 0x01000193);
  const slot = (h ^ (h >>> 15)) & (SLOTS - 1);
  const x = c1[slot];
  if (x.length === len) {
    let same = true;
    for (let i = 0; i < len; i++)
      if (x.charCodeAt(i) !== b[s + i]) {
        same = false;
        break;
      }
    if (same) return x;
  }
  return (c1[slot] = ascii(b, s, e));
}
const c2t = new Array(SLOTS).fill('');
const kept = new Uint8Array(SLOTS * 256);
const keptView = new DataView(kept.buffer);
const keptLength = new Int32Array(SLOTS).fill(-1);
const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
let misses2 = 0;
function neu(b, s, e) {
  const len = e - s;
  if (len === 0) return '';
  let h = len;
  let i = s;
  for (; i + 4 <= e; i += 4) h = Math.imul(h ^ view.getUint32(i, true), 0x9e3779b1) ^ (h >>> 13);
  for (; i < e; i++) h = Math.imul(h ^ b[i], 0x01000193);
  const slot = (h ^ (h >>> 15)) & (SLOTS - 1);
  const at = slot * 256;
  if (keptLength[slot] === len) {
    i = 0;
    while (i + 4 <= len && keptView.getUint32(at + i, true) === view.getUint32(s + i, true)) i += 4;
    if (i + 4 > len) {
      while (i < len && kept[at + i] === b[s + i]) i++;
      if (i === len) return c2t[slot];
    }
  }
  misses2++;
  for (i = 0; i < len; i++) kept[at + i] = b[s + i];
  keptLength[slot] = len;
  return (c2t[slot] = ascii(b, s, e));
}
for (let r = 0; r < 6; r++)
  for (const [n, f] of [
    ['string characters', old],
    ['kept bytes, DataView', neu],
  ]) {
    const t0 = process.cpuUsage();
    let x = 0;
    for (let k = 0; k < offs.length; k += 2) x += f(bytes, offs[k], offs[k + 1]).length;
    const t = process.cpuUsage(t0);
    console.log(`${n}: ${((t.user * 1000) / (offs.length / 2)).toFixed(0)} ns of CPU per User-Agent`, x, misses2);
  }
