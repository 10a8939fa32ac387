/**
 * Damaged endpoint logs (Windows event XML as evtxexport renders the real
 * Sysmon sample, and a Defender CSV with command lines over several lines):
 * characters flipped, spans dropped or repeated, the file cut. Reading never
 * throws, every damaged record is counted, and a file cut into many small
 * parts by the coordinator reads exactly as it does in one part: the context
 * carried between parts loses nothing.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { totalSkipped } from '../../src/core/sources/counts';
import { mapThrough } from '../helpers/endpoint-read';
import { samplesFolder } from '../helpers/samples';

function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NOISE = ['<', '>', '&', '"', "'", '\n', '/', '=', 'x', '</Event>', '<Event>', '\r\n', ''];

/** `text` with a few random kinds of damage. */
function damage(text: string, seed: number): string {
  const rnd = random(seed);
  let s = text;
  const n = 1 + Math.floor(rnd() * 6);
  for (let i = 0; i < n; i++) {
    const at = Math.floor(rnd() * s.length);
    const kind = Math.floor(rnd() * 4);
    if (kind === 0) s = s.slice(0, at) + NOISE[Math.floor(rnd() * NOISE.length)] + s.slice(at + 1);
    else if (kind === 1) s = s.slice(0, at) + s.slice(at + Math.floor(rnd() * 400));
    else if (kind === 2) s = s.slice(0, at) + s.slice(at, at + 300) + s.slice(at);
    else s = s.slice(0, Math.max(at, s.length - 2000));
  }
  return s;
}

async function compareCuts(name: string, text: string): Promise<{ records: number; skipped: number }> {
  const bytes = Buffer.from(text);
  const whole = await mapThrough([{ name, bytes }], { first: 1 << 24, rest: 1 << 24 });
  const cut = await mapThrough([{ name, bytes }], { first: 1500, rest: 2500 });
  expect(cut.records).toEqual(whole.records);
  expect(cut.reports[0].counts.skipped).toEqual(whole.reports[0].counts.skipped);
  expect(cut.reports[0].counts.other).toEqual(whole.reports[0].counts.other);
  expect(cut.reports[0].counts.examples.map((e) => [e.reason, e.line])).toEqual(
    whole.reports[0].counts.examples.map((e) => [e.reason, e.line]),
  );
  return { records: whole.records.length, skipped: totalSkipped(whole.reports[0].counts) };
}

describe('damaged endpoint logs', () => {
  const xml = execFileSync('evtxexport', ['-f', 'xml', join(samplesFolder('evtx'), 'sysmon.evtx')], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  }).slice(0, 200_000);
  const events = (xml.match(/<Event xmlns/g) ?? []).length;

  it('Windows event XML: never throws, counts what it cannot read, reads alike in parts', async () => {
    let damaged = 0;
    for (let seed = 1; seed <= 25; seed++) {
      const { records, skipped } = await compareCuts('sysmon.xml', damage(xml, seed));
      // Damage can join two events into one unreadable one, or cut one off the end, but never lose one without a count.
      expect(records + skipped, `seed ${seed}`).toBeGreaterThan(0);
      expect(records, `seed ${seed}`).toBeLessThanOrEqual(events + 2);
      if (skipped > 1) damaged++;
    }
    expect(damaged).toBeGreaterThan(5);
  }, 120_000);

  it('Defender CSV: never throws, reads alike in parts', async () => {
    const header =
      'Timestamp,DeviceId,DeviceName,ActionType,RemoteIP,RemotePort,RemoteUrl,LocalIP,LocalPort,Protocol,' +
      'InitiatingProcessFileName,InitiatingProcessFolderPath,InitiatingProcessId,InitiatingProcessCommandLine';
    const rows = [header];
    for (let i = 0; i < 300; i++) {
      const cmd = i % 3 === 0 ? `"powershell -c ""a,b""\nline ${i}"` : `curl.exe -s http://x.example/${i}`;
      rows.push(
        `2024-03-05T10:00:${String(i % 60).padStart(2, '0')}Z,d1,ws-01,ConnectionSuccess,203.0.113.${i % 250},443,` +
          `x.example,10.0.0.5,${50000 + i},Tcp,curl.exe,C:\\Windows\\System32\\curl.exe,${1000 + i},${cmd}`,
      );
    }
    const text = rows.join('\r\n') + '\r\n';
    expect((await compareCuts('net.csv', text)).records).toBe(300);
    for (let seed = 100; seed < 125; seed++) await compareCuts('net.csv', damage(text, seed));
  }, 120_000);
});
